// `tracehound record` against a real sshd: a timed capture lands in the database and the capture
// file; an unknown host without a terminal to ask on is refused, not hung.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { hostEntry, makeLab, requireRoot, startNode, type Sshd, type Lab } from './ssh-harness';
import { BIN, ensureBuilt, ROOT } from './collector-harness';

let lab: Lab;
let node: Sshd;

before(async () => {
  requireRoot();
  ensureBuilt();
  lab = makeLab();
  node = await startNode(lab);
  writeFileSync(lab.configPath, hostEntry('node', node, lab));
});

after(async () => {
  await node?.stop();
  lab?.cleanup();
});

function record(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', resolve(ROOT, 'electron/cli/main.ts'), 'record', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: lab.home, TRACEHOUND_COLLECTOR_DIR: join(BIN, '..'), SSH_AUTH_SOCK: '' },
  });
}

test('an unknown host key without a terminal is refused with its fingerprint', () => {
  const r = record(['node', '--duration', '2', '--db', join(lab.dir, 'refused.sqlite')]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /SHA256:/);
  assert.match(r.stderr, /rejected/);
});

test('record --duration captures into the database and the capture file, then exits 0', () => {
  writeFileSync(lab.knownHosts, `[127.0.0.1]:${node.port} ${node.hostPublicKey}\n`);
  const db = join(lab.dir, 'rec.sqlite');
  const out = join(lab.dir, 'rec.thc.gz');
  const r = record(['node', '--duration', '2', '--db', db, '--out', out, '--kinds', 'exec,exit,fork']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(out));
  assert.match(r.stdout, /capture: .*rec\.thc\.gz/);
  const d = new Database(db, { readonly: true });
  try {
    const n = (d.prepare("SELECT count(*) AS n FROM events WHERE kind = 'hello'").get() as { n: number }).n;
    assert.equal(n, 1, 'the collector hello reached the database');
    const cap = d.prepare('SELECT state FROM captures WHERE path = ?').get(out) as { state: string };
    assert.equal(cap.state, 'complete');
  } finally {
    d.close();
  }
});

test('bad usage exits 2', () => {
  assert.equal(record([]).status, 2);
  assert.equal(record(['node', '--duration', 'soon']).status, 2);
});
