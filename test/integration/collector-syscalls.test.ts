// ptrace, kernel-module, mount and namespace events, driven by a small C program and util-linux.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Collector, ensureBuilt, requireRoot, run, startCollector } from './collector-harness.js';

let c: Collector;
let dir: string;
let prog: string;

// TRACEME in one child, ATTACH to another, then module loads that fail harmlessly (bad fd,
// bad pointer): the events must carry the requests, targets and error codes.
const SRC = `
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  pid_t a = fork();
  if (a == 0) { ptrace(PTRACE_TRACEME, 0, 0, 0); _exit(0); }
  waitpid(a, 0, 0);
  pid_t b = fork();
  if (b == 0) { pause(); _exit(0); }
  usleep(10000);
  long r = ptrace(PTRACE_ATTACH, b, 0, 0);
  waitpid(b, 0, 0);
  kill(b, SIGKILL);
  waitpid(b, 0, 0);
  long m1 = syscall(SYS_finit_module, -1, "", 0);
  long m2 = syscall(SYS_init_module, (void *)0, 0, "");
  printf("%d %ld %ld %ld\\n", b, r, m1, m2);
  return 0;
}
`;

before(async () => {
  requireRoot();
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'th-sys-'));
  writeFileSync(join(dir, 'p.c'), SRC);
  prog = join(dir, 'p');
  const cc = process.env.CC ?? (spawnSync('cc', ['--version']).status === 0 ? 'cc' : 'clang');
  execFileSync(cc, ['-O1', '-o', prog, join(dir, 'p.c')]);
  c = await startCollector(['--no-snapshot', '--kinds=fork,exec,exit,ptrace,module,mount,ns']);
});

after(async () => {
  await c?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});


test('ptrace TRACEME and ATTACH, failed module loads', async () => {
  const r = await run(prog, []);
  assert.equal(r.code, 0, r.out);
  const [target] = r.out.trim().split(' ').map(Number);
  await c.settle();
  const t = c.subtree(r.pid);
  const pt = t.filter((l) => l.kind === 'ptrace');
  assert.ok(pt.some((l) => l.request === 0 && l.ret === 0), `TRACEME: ${JSON.stringify(pt)}`);
  const att = pt.find((l) => l.request === 16);
  assert.equal(att?.target, target);
  assert.equal(att?.ret, 0);
  const mods = t.filter((l) => l.kind === 'module');
  const fin = mods.find((l) => l.op === 'finit_module');
  assert.equal(fin?.fd, -1);
  // EBADF, or ENOSYS on kernels built without module support
  assert.ok(fin?.ret === -9 || fin?.ret === -38, `finit_module ret ${fin?.ret}`);
  const ini = mods.find((l) => l.op === 'init_module');
  assert.ok(ini && ini.ret < 0);
});

test('mount and umount, unshare of namespaces', async () => {
  const mnt = join(dir, 'mnt');
  mkdirSync(mnt);
  const r = await run('/bin/sh', ['-c', `mount -t tmpfs -o size=1m th-src '${mnt}' && umount '${mnt}' && unshare --net --uts true`]);
  assert.equal(r.code, 0, r.out);
  await c.settle();
  const t = c.subtree(r.pid);
  const m = t.find((l) => l.kind === 'mount' && l.op === 'mount' && l.target === mnt);
  assert.ok(m, `mount line: ${JSON.stringify(t.filter((l) => l.kind === 'mount'))}`);
  assert.equal(m.source, 'th-src');
  assert.equal(m.fstype, 'tmpfs');
  assert.equal(m.ret, 0);
  assert.ok(t.some((l) => l.kind === 'mount' && l.op === 'umount' && l.target === mnt && l.ret === 0));
  const ns = t.find((l) => l.kind === 'ns' && l.op === 'unshare');
  assert.ok(ns, 'unshare line');
  assert.equal(ns.flags & 0x44000000, 0x44000000, 'CLONE_NEWNET | CLONE_NEWUTS');
  assert.equal(ns.ret, 0);
  const before = t.find((l) => l.kind === 'exec' && l.pid === r.pid);
  const after = t.find((l) => l.kind === 'exec' && l.filename.endsWith('/true'));
  assert.ok(before && after && after.netns !== before.netns, 'the exec after unshare is in a new network namespace');
  assert.equal(ns.netns, after.netns, 'the unshare line already carries the new namespace');
});

test('exe_upper tells binaries added to an overlay (a container root) from its image layer', async () => {
  const o = join(dir, 'ovl');
  for (const d of ['lower', 'upper', 'work', 'merged']) mkdirSync(join(o, d), { recursive: true });
  copyFileSync('/bin/true', join(o, 'lower/from-image'));
  chmodSync(join(o, 'lower/from-image'), 0o755);
  const merged = join(o, 'merged');
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${o}/lower,upperdir=${o}/upper,workdir=${o}/work`, merged]);
  try {
    copyFileSync('/bin/true', join(merged, 'dropped'));
    chmodSync(join(merged, 'dropped'), 0o755);
    const a = await run(join(merged, 'from-image'), []);
    const b = await run(join(merged, 'dropped'), []);
    const h = await run('/bin/true', []);
    await c.settle();
    const ex = (pid: number) => c.lines.find((l) => l.kind === 'exec' && l.pid === pid);
    assert.equal(ex(a.pid)?.exe_upper, false, 'lower layer');
    assert.equal(ex(b.pid)?.exe_upper, true, 'written after the mount: upper layer');
    assert.ok(ex(h.pid), 'host exec seen');
    assert.equal(ex(h.pid)?.exe_upper, undefined, 'not on overlayfs: no field');
  } finally {
    execFileSync('umount', [merged]);
  }
});
