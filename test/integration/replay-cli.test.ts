// The headless face: tracehound import / export / replay, run as the built CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SAMPLE, tempDir } from './store-harness';

const CLI = join(ROOT, 'dist/cli.cjs');
let dir: string;
let cleanup: () => void;

before(() => {
  ({ dir, cleanup } = tempDir('th-cli-'));
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(ROOT, 'electron/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
});
after(() => cleanup());

function cli(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', ...(input ? { input } : {}), timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('import, export with redaction, replay', () => {
  const imp = cli(['import', SAMPLE]);
  assert.equal(imp.code, 0, imp.err);
  assert.match(imp.out, /complete, 1347 events, \d+ processes, 1 containers → sample-capture\.tracehound\.db/);
  const again = cli(['import', SAMPLE]);
  assert.match(again.out, /already imported/);

  const exp = cli(['export', '--db', 'sample-capture.tracehound.db', '--out', 'web.jsonl.gz', '--container', 'web', '--redact', '/tmp/(nc)']);
  assert.equal(exp.code, 0, exp.err);
  assert.match(exp.out, /web\.jsonl\.gz: \d+ events, \d+ redacted/);
  const over = cli(['export', '--db', 'sample-capture.tracehound.db', '--out', 'web.jsonl.gz']);
  assert.equal(over.code, 2, 'never overwrites');

  const rep = cli(['replay', 'web.jsonl.gz', '--speed', 'max', '--kinds', 'exec,net']);
  assert.equal(rep.code, 0, rep.err);
  const lines = rep.out.trim().split('\n');
  assert.ok(lines.every((l) => / (exec|net) /.test(l)), 'only the kinds asked for');
  assert.ok(lines.some((l) => l.includes('/tmp/[REDACTED] -w 2 127.0.0.1 4444')), 'the reverse shell, redacted');
  assert.ok(lines.some((l) => l.includes('connect tcp') && l.includes('→ 127.0.0.1:4444')), 'the refused reverse connection');
  assert.ok(!rep.out.includes('/tmp/nc'));
});

test('a cut capture imports with exit status 4; stdin imports collector output', () => {
  const whole = readFileSync(SAMPLE);
  writeFileSync(join(dir, 'cut.jsonl.gz'), whole.subarray(0, whole.length >> 1));
  const cut = cli(['import', 'cut.jsonl.gz', '--db', 'cut.db']);
  assert.equal(cut.code, 4, cut.err);
  assert.match(cut.out, /truncated, \d+ events/);
  assert.match(cut.out, /stopped: the file ends in the middle of its data/);

  const plain = execFileSync('zcat', [SAMPLE]).toString().split('\n').slice(1).join('\n');
  const st = cli(['import', '-', '--db', 'stdin.db'], Buffer.from(plain + '{"kind":"exec"\n'));
  assert.equal(st.code, 0, st.err);
  assert.match(st.out, /stdin: complete, 1347 events/);
  assert.match(st.out, /line 1348: \(line\): invalid JSON/);
  const bad = cli(['import', '-']);
  assert.equal(bad.code, 2);
});
