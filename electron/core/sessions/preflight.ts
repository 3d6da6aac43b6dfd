/**
 * Checks a node can run the collector before anything is uploaded, and says in plain words what
 * to do about each missing piece. Runs one short script as root; parsing is pure (unit-tested).
 */
import type { PreflightCheck } from '../../../shared/api/sessions';
import { shq } from './transport';

/** Ring buffers (BPF_MAP_TYPE_RINGBUF) arrived in 5.8. */
const MIN_KERNEL: readonly [number, number] = [5, 8];
const SUPPORTED_ARCH = ['x86_64', 'aarch64'];

/** What only root can see: kernel, BTF, tracefs, lockdown. */
export function rootPreflightScript(): string {
  return [
    'echo "kernel=$(uname -r)"',
    'echo "arch=$(uname -m)"',
    'echo "uid=$(id -u)"',
    '[ -r /sys/kernel/btf/vmlinux ] && echo btf=yes || echo btf=no',
    'if [ -r /sys/kernel/tracing/events/sched/sched_process_exec/id ]; then echo tracefs=/sys/kernel/tracing;',
    'elif [ -r /sys/kernel/debug/tracing/events/sched/sched_process_exec/id ]; then echo tracefs=/sys/kernel/debug/tracing;',
    'else echo tracefs=no; fi',
    'echo "lockdown=$(cat /sys/kernel/security/lockdown 2>/dev/null | sed -n "s/.*\\[\\(.*\\)\\].*/\\1/p")"',
  ].join('\n');
}

/** Free space and noexec of the directory in shell variable `var` (the login user can check those). */
export function spaceScript(variable: string): string {
  return [
    `echo "space=$(df -Pk "$${variable}" 2>/dev/null | awk 'NR==2{print $4}')"`,
    `echo "noexec=$(awk -v d="$${variable}" '$2!="" && index(d"/", $2"/")==1 && length($2)>=l {l=length($2); o=$4} END{print (o ~ /(^|,)noexec(,|$)/) ? "yes" : "no"}' /proc/mounts 2>/dev/null)"`,
  ].join('\n');
}

/** Both parts in one script (one root shell), for tests and single-user transports. */
export function preflightScript(dir: string): string {
  return `pf_dir=${shq(dir)}\n${rootPreflightScript()}\n${spaceScript('pf_dir')}`;
}

function parseKernel(release: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Turns the script's `key=value` lines into checks; `needBytes` is the collector's size. */
export function evaluatePreflight(output: string, dir: string, needBytes: number): PreflightCheck[] {
  const kv = new Map<string, string>();
  for (const line of output.split('\n').slice(0, 64)) {
    const i = line.indexOf('=');
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1).trim().slice(0, 200));
  }
  const get = (k: string): string => kv.get(k) ?? '';
  const checks: PreflightCheck[] = [];

  const release = get('kernel');
  const v = parseKernel(release);
  const oldKernel = !v || v[0] < MIN_KERNEL[0] || (v[0] === MIN_KERNEL[0] && v[1] < MIN_KERNEL[1]);
  checks.push({
    name: 'kernel',
    ok: !oldKernel,
    found: release || 'unknown',
    fatal: true,
    ...(oldKernel && {
      advice: `Kernel ${release || '(unknown)'} is older than ${MIN_KERNEL.join('.')}: it has no BPF ring buffer, so the collector cannot run. Capture on a node with a newer kernel, or upgrade this one.`,
    }),
  });

  const arch = get('arch');
  const archOk = SUPPORTED_ARCH.includes(arch);
  checks.push({
    name: 'arch',
    ok: archOk,
    found: arch || 'unknown',
    fatal: true,
    ...(!archOk && { advice: `The node is ${arch || 'of unknown architecture'}; the collector is built for ${SUPPORTED_ARCH.join(' and ')} only.` }),
  });

  const btf = get('btf') === 'yes';
  checks.push({
    name: 'btf',
    ok: btf,
    found: btf ? '/sys/kernel/btf/vmlinux' : 'missing',
    fatal: true,
    ...(!btf && {
      advice: 'The kernel exposes no BTF (/sys/kernel/btf/vmlinux): it was built without CONFIG_DEBUG_INFO_BTF. The collector needs it to adapt to this kernel; use a distribution kernel that ships BTF (most since 2021) or capture on another node.',
    }),
  });

  const tracefs = get('tracefs');
  checks.push({
    name: 'tracefs',
    ok: tracefs !== 'no' && tracefs !== '',
    found: tracefs && tracefs !== 'no' ? tracefs : 'not mounted',
    fatal: false,
    ...((tracefs === 'no' || !tracefs) && {
      advice: 'tracefs is not mounted, so tracepoint probes may fall back or be missing. As root: mount -t tracefs nodev /sys/kernel/tracing',
    }),
  });

  const uid = get('uid');
  const lockdown = get('lockdown');
  const privOk = uid === '0' && lockdown !== 'confidentiality';
  checks.push({
    name: 'privileges',
    ok: privOk,
    found: `uid ${uid || '?'}${lockdown ? `, lockdown ${lockdown}` : ''}`,
    fatal: true,
    ...(!privOk && {
      advice:
        uid !== '0'
          ? 'Commands did not run as root on the node; the collector needs root (CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN).'
          : 'Kernel lockdown is in confidentiality mode, which forbids reading kernel memory from BPF: the collector cannot trace here. Lockdown is usually tied to Secure Boot.',
    }),
  });

  const kb = Number(get('space'));
  const needKb = Math.ceil(needBytes / 1024) + 1024;
  const noexec = get('noexec') === 'yes';
  const spaceOk = Number.isFinite(kb) && get('space') !== '' && kb >= needKb && !noexec;
  checks.push({
    name: 'space',
    ok: spaceOk,
    found: get('space') === '' ? `${dir}: unknown` : `${Math.floor(kb / 1024)} MiB free in ${dir}${noexec ? ' (noexec)' : ''}`,
    fatal: true,
    ...(!spaceOk && {
      advice: noexec
        ? `${dir} is mounted noexec, so an uploaded collector cannot run from it. Set TMPDIR for the login user to a directory on an exec-allowed file system.`
        : `${dir} needs ${Math.ceil(needKb / 1024)} MiB free for the collector; free some space or set TMPDIR for the login user to another directory.`,
    }),
  });
  return checks;
}

export function preflightFailure(checks: readonly PreflightCheck[]): string | null {
  const bad = checks.filter((c) => !c.ok && c.fatal);
  return bad.length ? bad.map((c) => c.advice ?? `${c.name}: ${c.found}`).join('\n') : null;
}
