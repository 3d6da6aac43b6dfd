// Start, stop and failure behaviour of the collector binary.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type Collector, ROOT, ensureBuilt, listPrograms, programsOf, requireRoot, run, startCollector } from './collector-harness.js';

before(() => {
  requireRoot();
  ensureBuilt();
});

async function stopAndCheck(how: 'stdin' | 'SIGTERM' | 'SIGINT' | 'SIGHUP') {
  const c = await startCollector(['--no-snapshot']);
  try {
    await checkStop(c, how);
  } finally {
    c.proc.kill('SIGKILL');
  }
}

async function checkStop(c: Collector, how: 'stdin' | 'SIGTERM' | 'SIGINT' | 'SIGHUP') {
  const mine = programsOf(c.pid);
  assert.ok(mine.length >= 4, `programs loaded: ${JSON.stringify(mine)}`);
  assert.ok(mine.every((p) => p.name.startsWith('th_')), 'program names carry the th_ prefix');
  await run('/bin/true', []);
  await c.waitFor((l) => l.kind === 'stats');
  if (how === 'stdin') c.proc.stdin!.end();
  else c.proc.kill(how);
  const t0 = Date.now();
  const ex = await c.exited;
  assert.equal(ex.code, 0, c.stderr);
  assert.ok(Date.now() - t0 < 3000, 'exits promptly');
  const bye = c.lines.at(-1)!;
  assert.equal(bye.kind, 'bye');
  assert.equal(bye.reason, how === 'stdin' ? 'stdin' : 'signal');
  // exact accounting: every line of a kind is counted in the totals, nothing else
  for (const k of ['fork', 'exec', 'exit', 'open', 'syscalls']) {
    assert.equal(bye.sent[k], c.of(k).length, `sent.${k}`);
    assert.equal(bye.dropped[k], 0);
  }
  // the kernel frees detached programs after an RCU grace period: give it a moment
  let left = listPrograms();
  for (let i = 0; i < 30 && mine.some((p) => left.has(p.id)); i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = listPrograms();
  }
  for (const p of mine) assert.ok(!left.has(p.id), `program ${p.name} (${p.id}) left behind`);
}

test('stdin EOF stops the collector and detaches every program', () => stopAndCheck('stdin'));
test('SIGTERM stops the collector and detaches every program', () => stopAndCheck('SIGTERM'));
test('SIGINT and SIGHUP stop it too', async () => {
  await stopAndCheck('SIGINT');
  await stopAndCheck('SIGHUP');
});

test('stats every second and --duration', async () => {
  const c = await startCollector(['--no-snapshot', '--duration', '2', '--ringbuf-mb', '16']);
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), 10_000);
  const ex = await c.exited;
  clearTimeout(timer);
  assert.equal(ex.code, 0);
  const stats = c.of('stats');
  assert.ok(stats.length >= 1 && stats.length <= 3, `${stats.length} stats lines in 2 s`);
  for (const s of stats) {
    assert.equal(s.ringbuf.size, 16 << 20);
    assert.ok(s.ringbuf.used_max >= 0 && s.ringbuf.used_max <= s.ringbuf.size);
  }
  assert.equal(c.lines.at(-1)!.reason, 'duration');
});

test('a clear error and exit status 3 when not root', () => {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', BIN, '--no-snapshot'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /must run as root/);
  const line = JSON.parse(r.stdout.trim().split('\n')[0] ?? '');
  assert.equal(line.kind, 'error');
  assert.equal(line.fatal, true);
});

test('--help documents options and exit codes; bad options exit 2', () => {
  const out = execFileSync(BIN, ['--help'], { encoding: 'utf8' });
  for (const s of ['--duration', '--kinds', '--cgroup', '--container', '--pid', '--output', '--open-exclude', 'EXIT STATUS'])
    assert.ok(out.includes(s), s);
  assert.equal(spawnSync(BIN, ['--kinds=bogus']).status, 2);
  assert.equal(spawnSync(BIN, ['--duration=x']).status, 2);
});

test('--output writes the lines to a file', async () => {
  const file = `/tmp/th-out-${process.pid}.jsonl`;
  const r = spawnSync(BIN, ['--no-snapshot', '-d', '1', '-o', file], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const lines = execFileSync('cat', [file], { encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l));
  execFileSync('rm', ['-f', file]);
  assert.equal(lines[0].kind, 'hello');
  assert.equal(lines.at(-1).kind, 'bye');
});

test('drops are counted exactly: opens produced = sent + dropped, with a 1 MiB ring buffer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'th-gen-'));
  try {
    const gen = join(dir, 'gen');
    const cc = process.env.CC ?? (spawnSync('cc', ['--version']).status === 0 ? 'cc' : 'clang');
    execFileSync(cc, ['-O2', '-o', gen, join(ROOT, 'bench/collector-gen.c')]);
    // the generator waits for a byte on stdin, so the collector follows it from its first open
    const g = spawn(gen, ['open', '0', '1.5', '2'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    g.stdout.on('data', (d) => (out += d));
    const done = new Promise<void>((r) => g.on('exit', () => r()));
    const c = await startCollector(['--no-snapshot', '--pid', String(g.pid), '--ringbuf-mb', '1', '--kinds=open,fork,exit']);
    try {
      g.stdin.end('x');
      await done;
      const produced = JSON.parse(out) as { open: number };
      await c.settle();
      c.proc.kill('SIGTERM');
      await c.exited;
      const bye = c.lines.at(-1)!;
      assert.equal(bye.kind, 'bye');
      assert.ok(produced.open > 10_000, `load: ${out}`);
      assert.equal(bye.sent.open + bye.dropped.open, produced.open, `sent ${bye.sent.open} dropped ${bye.dropped.open}`);
      assert.equal(c.of('open').length, bye.sent.open);
    } finally {
      c.proc.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
