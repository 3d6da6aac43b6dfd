/**
 * The collector on another kernel: Debian 12's own 6.1 kernel booted in QEMU (software
 * emulation) with an initramfs holding busybox and the static collector. There, unlike on the
 * development kernel, kprobes and fentry work, so the probe table must pick the better program
 * types (fexit on cap_capable) and the same binary must still trace fork/exec/open.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLine } from '../../shared/events';
import { BIN, ensureBuilt, requireRoot } from './collector-harness';

const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tracehound', 'kernels');
let vmlinuz = '';

/** Debian's current 6.1 kernel image package, downloaded (not installed) and unpacked once. */
function debianKernel(): string {
  const deps = execFileSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
  const pkg = /Depends: (linux-image-[0-9][^\s]*-amd64)/.exec(deps)?.[1];
  assert.ok(pkg, `no kernel package found in apt-cache depends output:\n${deps}`);
  const dir = join(CACHE, pkg);
  const found = existsSync(join(dir, 'boot')) ? readdirSync(join(dir, 'boot')).find((f) => f.startsWith('vmlinuz-')) : undefined;
  if (found) return join(dir, 'boot', found);
  mkdirSync(dir, { recursive: true });
  let dl = spawnSync('apt-get', ['download', pkg], { cwd: dir, encoding: 'utf8' });
  if (dl.status !== 0) {
    execFileSync('apt-get', ['update', '-q'], { stdio: 'ignore' });
    dl = spawnSync('apt-get', ['download', pkg], { cwd: dir, encoding: 'utf8' });
  }
  assert.equal(dl.status, 0, `apt-get download ${pkg}: ${dl.stderr}`);
  const deb = readdirSync(dir).find((f) => f.endsWith('.deb'))!;
  execFileSync('sh', ['-c', `dpkg-deb --fsys-tarfile "${deb}" | tar x ./boot/ && rm -f "${deb}"`], { cwd: dir });
  const img = readdirSync(join(dir, 'boot')).find((f) => f.startsWith('vmlinuz-'));
  assert.ok(img, 'kernel image unpacked');
  return join(dir, 'boot', img);
}

const INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
mkdir -p /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup
/collector --duration 4 --no-snapshot --output /tmp/out.jsonl 2>/tmp/err.txt &
sleep 2
/bin/sh -c 'echo hello > /tmp/th-kernel-probe; cat /tmp/th-kernel-probe >/dev/null; exit 3'
wait
echo TH-BEGIN
cat /tmp/out.jsonl
echo TH-STDERR
cat /tmp/err.txt
echo TH-END
poweroff -f
`;

function initramfs(dir: string): string {
  const root = join(dir, 'root');
  for (const d of ['bin', 'proc', 'sys', 'dev', 'tmp']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
  copyFileSync(BIN, join(root, 'collector'));
  writeFileSync(join(root, 'init'), INIT);
  chmodSync(join(root, 'init'), 0o755);
  chmodSync(join(root, 'collector'), 0o755);
  const out = join(dir, 'initrd.gz');
  execFileSync('sh', ['-c', `find . | cpio -o -H newc 2>/dev/null | gzip -1 > "${out}"`], { cwd: root });
  return out;
}

before(() => {
  requireRoot();
  ensureBuilt();
  vmlinuz = debianKernel();
});

test('on Debian 6.1 the collector picks fentry for capabilities and still traces processes and files', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'th-qemu-'));
  try {
    const initrd = initramfs(dir);
    const r = spawnSync(
      'qemu-system-x86_64',
      ['-accel', 'tcg', '-m', '1024', '-smp', '1', '-nographic', '-no-reboot', '-kernel', vmlinuz, '-initrd', initrd,
        '-append', 'console=ttyS0 quiet loglevel=1 panic=-1 lsm=lockdown,yama,bpf'],
      { encoding: 'utf8', timeout: 200_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const out = r.stdout + r.stderr;
    const body = /TH-BEGIN\r?\n([\s\S]*?)TH-STDERR\r?\n([\s\S]*?)TH-END/.exec(out);
    assert.ok(body, `no collector output from the VM:\n${out.slice(-3000)}`);
    const lines = body[1]!.split(/\r?\n/).filter((l) => l.trim().length > 0);
    const events = lines.map((l, i) => {
      const c = parseLine(l);
      assert.ok(c.ok, `line ${i + 1} invalid: ${!c.ok ? `${c.field}: ${c.message}` : ''}\n${l.slice(0, 300)}`);
      return c.event;
    });
    const hello = events[0]!;
    assert.equal(hello.kind, 'hello');
    assert.match(String(hello.kernel), /^6\.1\./);
    const probes = hello.probes as Record<string, { live: boolean; type?: string }>;
    assert.equal(probes.cap?.live, true, JSON.stringify(probes.cap));
    assert.ok(['fentry', 'kprobe'].includes(probes.cap!.type!), `cap backed by ${probes.cap!.type}`);
    for (const k of ['fork', 'exec', 'exit', 'open']) assert.equal(probes[k]?.live, true, `${k} live`);
    const cat = events.find((e) => e.kind === 'exec' && Array.isArray(e.argv) && (e.argv as string[]).join(' ') === 'cat /tmp/th-kernel-probe');
    assert.ok(cat, 'exec of cat seen');
    assert.ok(events.some((e) => e.kind === 'open' && e.path === '/tmp/th-kernel-probe' && e.pid === cat.pid), 'cat opened the file');
    assert.ok(events.some((e) => e.kind === 'exit' && e.code === 3), 'the shell exit code 3 seen');
    assert.equal(events.at(-1)!.kind, 'bye');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
