/**
 * seccomp drafts: allow what the workload was seen calling, deny the rest with EPERM.
 *
 * Only the workload phase counts: the runtime's setup before it installs the filter (runc's
 * `runc:[2:INIT]` mounting, pivoting, dropping privileges) never runs under the profile. The few
 * calls runc makes after installing the filter and before exec (close, execve, fstatfs,
 * getdents64, openat, write with runc 1.1) are in the workload phase, and are also added as a
 * base so a capture that started after the container did still yields a profile it can start
 * with: a profile too narrow to start is the most common failure of generated profiles.
 */
import type { Observed, SeccompPolicy, SyscallRule } from '../../../../shared/policy';
import { isKnownSyscall } from '../syscalls';

export const RUNTIME_BASE: readonly string[] = ['close', 'execve', 'fstatfs', 'getdents64', 'openat', 'write', 'fcntl', 'newfstatat'];

export interface SeccompDraftOptions {
  /** Add the runtime's post-filter syscalls even when not seen (default true). */
  runtimeBase?: boolean;
}

export function draftSeccomp(o: Observed, opts: SeccompDraftOptions = {}): SeccompPolicy {
  const rules = new Map<string, SyscallRule>();
  for (const s of o.syscalls) {
    if (s.phase !== 'workload') continue;
    const r = rules.get(s.name);
    if (r) r.evidence.push(...s.evidence);
    else rules.set(s.name, { name: s.name, evidence: [...s.evidence] });
  }
  if (opts.runtimeBase !== false) {
    for (const name of RUNTIME_BASE) {
      if (!rules.has(name) && isKnownSyscall(name))
        rules.set(name, { name, evidence: [{ kind: 'runtime-base', ts: 0, detail: 'the runtime calls it after installing the filter' }] });
    }
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
