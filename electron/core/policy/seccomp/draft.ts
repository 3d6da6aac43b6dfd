/**
 * seccomp drafts: allow what the workload was seen calling, deny the rest with EPERM.
 *
 * Only the workload phase counts: the runtime's setup before it installs the filter (runc's
 * `runc:[2:INIT]` mounting, pivoting, dropping privileges) never runs under the profile. What
 * runc does after installing the filter and before exec is in the workload phase only when the
 * capture ran under some filter; Kubernetes runs containers unconfined by default, so a runtime
 * base is added: runc 1.1's own calls (close, execve, fstatfs, getdents64, openat, write, fcntl,
 * newfstatat) and the Go runtime's, which can run on runc's filtered thread whenever the
 * scheduler needs it (futex wake-ups on leaving a syscall crash runc when refused). A profile too
 * narrow to start is the most common failure of generated profiles.
 */
import type { Observed, SeccompPolicy, SyscallRule } from '../../../../shared/policy';
import { isKnownSyscall } from '../syscalls';
import { HIGH_RISK } from './risk';

export const RUNTIME_BASE: readonly string[] = ['close', 'execve', 'fstatfs', 'getdents64', 'openat', 'write', 'fcntl', 'newfstatat'];
/** Go runtime calls on a locked thread: scheduling, signals, memory. */
export const GO_RUNTIME_BASE: readonly string[] = [
  'futex',
  'sched_yield',
  'nanosleep',
  'rt_sigreturn',
  'rt_sigprocmask',
  'sigaltstack',
  'mmap',
  'munmap',
  'madvise',
  'getpid',
  'gettid',
  'tgkill',
  'exit_group',
];

export interface SeccompDraftOptions {
  /** Add the runtime's post-filter syscalls even when not seen (default true). */
  runtimeBase?: boolean;
}

export function draftSeccomp(o: Observed, opts: SeccompDraftOptions = {}): SeccompPolicy {
  const rules = new Map<string, SyscallRule>();
  for (const s of o.syscalls) {
    // a number the table does not name cannot be written: libseccomp would refuse the profile
    if (s.phase !== 'workload' || !isKnownSyscall(s.name)) continue;
    const r = rules.get(s.name);
    if (r) r.evidence.push(...s.evidence);
    else rules.set(s.name, { name: s.name, evidence: [...s.evidence] });
  }
  if (opts.runtimeBase !== false) {
    const base: Array<[readonly string[], string]> = [
      [RUNTIME_BASE, 'runc calls it after installing the filter'],
      [GO_RUNTIME_BASE, "runc's Go runtime may call it after the filter is installed"],
    ];
    for (const [names, detail] of base)
      for (const name of names) if (!rules.has(name) && isKnownSyscall(name)) rules.set(name, { name, evidence: [{ kind: 'runtime-base', ts: 0, detail }] });
  }
  for (const r of rules.values()) {
    const risk = HIGH_RISK[r.name];
    if (risk) r.risk = risk;
  }
  return {
    type: 'seccomp',
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: 1,
    architectures: [o.arch],
    allow: [...rules.values()].sort((a, b) => a.name.localeCompare(b.name)),
    other: [],
    provenance: o.provenance,
  };
}

/** The same profile logging instead of denying: a first profile that cannot break the workload. */
export function complainMode(p: SeccompPolicy): SeccompPolicy {
  const { defaultErrnoRet: _drop, ...rest } = p;
  return { ...rest, defaultAction: 'SCMP_ACT_LOG' };
}
