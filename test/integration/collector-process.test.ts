// Process, file and credential events from the real kernel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { type Collector, ensureBuilt, requireRoot, run, startCollector, type Line } from './collector-harness.js';

let c: Collector;
let dir: string;

before(async () => {
  requireRoot();
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'th-proc-'));
  c = await startCollector(['--no-snapshot']);
});

after(async () => {
  await c?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The process tree rooted at pid, without its capability checks and syscall sets. */
function tree(root: number): Line[] {
  return c.subtree(root).filter((l) => l.kind !== 'cap' && l.kind !== 'syscalls');
}

test('hello reports the protocol, clock anchor and a probe per kind', () => {
  const h = c.hello;
  assert.equal(h.kind, 'hello');
  assert.equal(h.proto, 1);
  assert.equal(h.arch, 'x86_64');
  assert.match(h.boot_id, /^[0-9a-f-]{36}$/);
  assert.equal(h.self_pid, c.pid);
  assert.ok(h.clock.boot_ns > 0 && h.clock.wall_ns > h.clock.boot_ns);
  for (const k of ['fork', 'exec', 'exit', 'open', 'net', 'cred', 'ptrace', 'module', 'mount', 'ns', 'cap', 'syscalls']) {
    const p = h.probes[k];
    assert.ok(p, `probe entry for ${k}`);
    assert.equal(typeof p.live, 'boolean');
    if (p.live) assert.ok(['tracepoint', 'raw_tp', 'tp_btf', 'fentry', 'kprobe', 'lsm'].includes(p.type), k);
    else assert.ok(p.reason, `${k} is off and says why`);
  }
  for (const k of ['fork', 'exec', 'exit']) assert.equal(h.probes[k].live, true);
});

test('fork/exec tree with argv, cwd and exit codes', async () => {
  const script = "sh -c 'exit 3'; /bin/echo tree-marker 'two words' >/dev/null; sh -c 'kill -9 $$'; exit 7";
  const r = await run('/bin/sh', ['-c', script], { cwd: dir });
  assert.equal(r.code, 7);
  await c.waitFor((l) => l.kind === 'exit' && l.pid === r.pid, 10_000, 'exit of the root');
  await c.settle();
  const t = tree(r.pid);
  const root = t.find((l) => l.kind === 'exec' && l.pid === r.pid)!;
  assert.ok(root, 'exec of the root');
  assert.deepEqual(root.argv, ['/bin/sh', '-c', script]);
  assert.equal(root.filename, '/bin/sh');
  assert.equal(root.cwd, dir);
  assert.equal(root.uid, 0);
  assert.equal(root.euid, 0);
  assert.ok(root.start > 0 && root.ts >= root.start);

  const echo = t.find((l) => l.kind === 'exec' && l.argv?.[1] === 'tree-marker')!;
  assert.ok(echo, 'exec of echo');
  assert.deepEqual(echo.argv, ['/bin/echo', 'tree-marker', 'two words']);
  assert.equal(echo.ppid, r.pid);
  assert.equal(echo.comm, 'echo');
  const echoFork = t.find((l) => l.kind === 'fork' && l.pid === echo.pid)!;
  assert.ok(echoFork, 'fork line for the echo child');
  assert.equal(echoFork.start, echo.start, 'same process identity on fork and exec');
  assert.equal(echoFork.pstart, root.start);

  const exits = t.filter((l) => l.kind === 'exit');
  const rootExit = exits.find((l) => l.pid === r.pid)!;
  assert.equal(rootExit.code, 7);
  assert.equal(rootExit.signal, 0);
  assert.ok(exits.some((l) => l.code === 3 && l.signal === 0), 'child exit 3');
  assert.ok(exits.some((l) => l.signal === 9), 'child killed by SIGKILL');
  assert.ok(exits.some((l) => l.pid === echo.pid && l.code === 0));
});

test('an exec of /proc/self/exe (busybox applets) names the real binary', async () => {
  const r = await run('/bin/busybox', ['sh', '-c', 'busybox ls / >/dev/null']);
  assert.equal(r.code, 0, r.out);
  await c.settle();
  const ex = tree(r.pid).find((l) => l.kind === 'exec' && l.filename === '/proc/self/exe');
  assert.ok(ex, 'exec line');
  assert.equal(ex.exe, realpathSync('/bin/busybox'));
  assert.deepEqual(ex.argv, ['busybox', 'ls', '/']);
  const direct = tree(r.pid).find((l) => l.kind === 'exec' && l.filename === '/bin/busybox');
  assert.equal(direct?.exe, undefined, 'no exe when the filename already names the binary');
});

test('file opened under a temp dir, with flags and result', async () => {
  const path = join(dir, 'opened.txt');
  const r = await run('/bin/sh', ['-c', `echo data > '${path}'; cat '${path}' >/dev/null; cat '${path}.missing' 2>/dev/null; true`]);
  assert.equal(r.code, 0);
  await c.settle();
  const opens = tree(r.pid).filter((l) => l.kind === 'open');
  const w = opens.find((l) => l.path === path && (l.flags & 0o1) === 1);
  assert.ok(w, 'open for writing');
  assert.ok(w.flags & 0o100, 'O_CREAT');
  assert.ok(w.ret >= 0);
  const rd = opens.find((l) => l.path === path && (l.flags & 3) === 0);
  assert.ok(rd && rd.ret >= 0, 'open for reading');
  const missing = opens.find((l) => l.path === `${path}.missing`);
  assert.equal(missing?.ret, -2, 'ENOENT as -errno');
});

test('hostile argv and file names stay valid JSON', async () => {
  const big = 'A'.repeat(5000);
  // quotes, backslash, newline, control bytes, invalid UTF-8 (\377\376), a valid multibyte char
  const r = await run('/bin/sh', [
    '-c',
    `f="$(printf '${dir}/q"\\\\x\\nl\\001\\377\\376é')"; : > "$f"; cat "$f" "$@" >/dev/null 2>&1; exit 0`,
    'sh',
    `$(printf '\\033[31m')`,
    big,
  ]);
  assert.equal(r.code, 0);
  await c.settle();
  const t = tree(r.pid);
  const exec = t.find((l) => l.kind === 'exec' && l.pid === r.pid)!;
  assert.ok(exec);
  assert.equal(exec.argv_trunc, true, '5000-byte argument is cut at the bound and says so');
  assert.ok(JSON.stringify(exec).length < 64 * 1024);
  const opened = t.find((l) => l.kind === 'open' && typeof l.path === 'string' && l.path.startsWith(`${dir}/q`))!;
  assert.ok(opened, 'open of the hostile name');
  assert.equal(opened.path, `${dir}/q"\\x\nl\u0001\uFFFD\uFFFDé`);
  // every line written so far parsed (the harness throws otherwise) and holds no raw control byte
  for (const raw of c.raw) assert.ok(![...raw].some((ch) => ch.charCodeAt(0) < 0x20), 'no raw control byte');
  const rawOpen = c.raw.find((s) => s.includes('"kind":"open"') && s.includes(`${dir}/q`))!;
  assert.ok(rawOpen.includes('\\u000a') && rawOpen.includes('\\u0001'));
});

test('setuid to nobody is reported with the new ids', async () => {
  const r = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/true']);
  assert.equal(r.code, 0);
  await c.settle();
  const t = tree(r.pid);
  const creds = t.filter((l) => l.kind === 'cred');
  const uid = creds.find((l) => ['setuid', 'setreuid', 'setresuid'].includes(l.op));
  assert.ok(uid, `setuid-family line, got ${JSON.stringify(creds)}`);
  assert.ok(uid.args.includes(65534));
  assert.equal(uid.ret, 0);
  assert.ok(creds.some((l) => ['setgid', 'setregid', 'setresgid'].includes(l.op) && l.args.includes(65534)));
  const ex = t.find((l) => l.kind === 'exec' && l.filename === '/bin/true')!;
  assert.equal(ex.uid, 65534);
  assert.equal(ex.euid, 65534);
  if (c.hello.probes.cap.live) {
    const cap = c.lines.find((l) => l.kind === 'cap' && l.pid === r.pid && l.cap_name === 'CAP_SETUID');
    assert.equal(cap?.verdict, 'allow', 'the capability check behind setuid');
    assert.equal(cap?.cap, 7);
  }
});

test('--cgroup keeps a single cgroup v2', async () => {
  const mnt = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .find((l) => l.includes(' - cgroup2 '))
    ?.split(' ')[4];
  assert.ok(mnt, 'cgroup v2 is mounted');
  const cg = join(mnt, `th-test-${process.pid}`);
  mkdirSync(cg);
  try {
    const s = await startCollector(['--no-snapshot', '--cgroup', cg, '--kinds=fork,exec,exit']);
    try {
      assert.equal(s.hello.config.cgroup, statSync(cg).ino);
      const r = await run('/bin/sh', ['-c', `echo $$ > ${cg}/cgroup.procs && /bin/echo in-cgroup`]);
      assert.equal(r.code, 0, r.out);
      const outside = await run('/bin/echo', ['outside']);
      await s.settle();
      assert.ok(s.of('exec').some((l) => l.argv[1] === 'in-cgroup'));
      assert.ok(!s.lines.some((l) => l.pid === outside.pid));
      assert.ok(s.lines.filter((l) => 'pid' in l).every((l) => l.cgroup === statSync(cg).ino));
    } finally {
      await s.stop();
    }
  } finally {
    for (let i = 0; i < 20; i++) {
      try {
        rmdirSync(cg);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
});

test('every line passes the shared schema validator', async () => {
  await c.settle();
  assert.deepEqual(c.invalid, []);
});

test('the collector does not report its own activity', async () => {
  await c.settle();
  assert.equal(c.lines.filter((l) => l.pid === c.pid && l.kind !== 'hello').length, 0);
});

test('snapshot lists processes already running, and --pid follows a subtree', async () => {
  const sleeper = spawn('/bin/sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore', cwd: dir });
  try {
    await new Promise((r) => setTimeout(r, 200));
    const s = await startCollector(['--pid', String(sleeper.pid)]);
    try {
      await s.waitFor((l) => l.kind === 'stats');
      const procs = s.of('proc');
      const me = procs.find((l) => l.pid === sleeper.pid)!;
      assert.ok(me, 'the shell is in the snapshot');
      assert.equal(me.cwd, dir);
      assert.deepEqual(me.argv, ['/bin/sh', '-c', 'sleep 30 & wait']);
      assert.ok(procs.some((l) => l.ppid === sleeper.pid && l.argv[0] === 'sleep'), 'its child too');
      assert.ok(procs.every((l) => l.pid === sleeper.pid || l.ppid === sleeper.pid), 'nothing else');
      // a process outside the subtree produces nothing
      const other = await run('/bin/true', []);
      await s.settle();
      assert.ok(!s.lines.some((l) => l.pid === other.pid));
      // the subtree's exit does
      sleeper.kill('SIGKILL');
      await s.waitFor((l) => l.kind === 'exit' && l.pid === sleeper.pid && l.signal === 9);
    } finally {
      await s.stop();
    }
  } finally {
    sleeper.kill('SIGKILL');
  }
});

test('open prefixes are excluded in the kernel and configurable', async () => {
  const s = await startCollector(['--no-snapshot', `--open-exclude=${dir}/skip`, '--kinds=open,exec,fork,exit']);
  try {
    writeFileSync(join(dir, 'keep'), 'x');
    const r = await run('/bin/sh', ['-c', `cat ${dir}/skip/a ${dir}/skipped ${dir}/keep /proc/self/stat >/dev/null 2>&1; true`]);
    await s.settle();
    const paths = s.lines.filter((l) => l.kind === 'open' && l.pid !== process.pid).map((l) => l.path);
    assert.ok(paths.includes(`${dir}/keep`));
    assert.ok(paths.includes(`${dir}/skipped`), 'a prefix matches whole components only');
    assert.ok(!paths.includes(`${dir}/skip/a`));
    assert.ok(paths.includes('/proc/self/stat'), 'defaults replaced by the option');
    assert.ok(s.lines.some((l) => l.kind === 'exec' && l.pid === r.pid));
    assert.deepEqual(s.hello.config.kinds, ['fork', 'exec', 'exit', 'open']);
    assert.equal(s.hello.probes.net.live, false);
    assert.equal(s.of('net').length, 0);
  } finally {
    await s.stop();
  }
});
