/**
 * What needs a capability, read from events when the kernel cannot report capability checks.
 * Each hint names the capability and why; drafts mark the result "inferred".
 */
import type { CollectorEvent } from '../../../../shared/events';

const CLONE_NEWUSER = 0x10000000;
const NS_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x20000000 | 0x40000000 | 0x00000080;
const PTRACE_TRACEME = 0;
/** setuid(-1) style "unchanged" arguments. */
const UNCHANGED = new Set([-1, 4294967295]);

export interface Hint {
  cap: string;
  why: string;
}

export function hintFromEvent(e: CollectorEvent): Hint | undefined {
  switch (e.kind) {
    case 'net': {
      if (e.proto === 'raw') return { cap: 'CAP_NET_RAW', why: 'opens a raw socket' };
      const port = e.sport as number | undefined;
      if ((e.op === 'bind' || e.op === 'listen') && typeof port === 'number' && port > 0 && port < 1024)
        return { cap: 'CAP_NET_BIND_SERVICE', why: `binds port ${port} (below 1024)` };
      return undefined;
    }
    case 'cred': {
      if (e.ret !== 0 || !Array.isArray(e.args)) return undefined;
      const op = String(e.op);
      const isUid = op.includes('uid');
      const isGid = op.includes('gid');
      if (!isUid && !isGid) return undefined;
      const own = isUid ? e.uid : e.gid;
      const changes = (e.args as number[]).some((a) => !UNCHANGED.has(a) && a !== own);
      if (!changes) return undefined;
      return isUid
        ? { cap: 'CAP_SETUID', why: `${op} to another user` }
        : { cap: 'CAP_SETGID', why: `${op} to another group` };
    }
    case 'ptrace':
      return e.request === PTRACE_TRACEME ? undefined : { cap: 'CAP_SYS_PTRACE', why: `ptrace request ${e.request} on pid ${e.target}` };
    case 'module':
      return { cap: 'CAP_SYS_MODULE', why: `${e.op} ${e.name ?? ''}`.trim() };
    case 'mount':
      return { cap: 'CAP_SYS_ADMIN', why: `${e.op} ${e.target ?? ''}`.trim() };
    case 'ns': {
      const flags = (typeof e.flags === 'number' ? e.flags : 0) | (typeof e.nstype === 'number' ? e.nstype : 0);
      if (e.op === 'clone' && (flags & NS_FLAGS) === 0) return undefined;
      if ((flags & ~CLONE_NEWUSER) === 0 && flags !== 0) return undefined;
      return { cap: 'CAP_SYS_ADMIN', why: `${e.op} of namespaces (flags 0x${flags.toString(16)})` };
    }
    default:
      return undefined;
  }
}

/** Syscalls whose mere use suggests a capability (weakest inference: the call may not need it). */
export const SYSCALL_HINTS: Readonly<Record<string, Hint>> = {
  chown: { cap: 'CAP_CHOWN', why: 'calls chown' },
  fchown: { cap: 'CAP_CHOWN', why: 'calls fchown' },
  lchown: { cap: 'CAP_CHOWN', why: 'calls lchown' },
  fchownat: { cap: 'CAP_CHOWN', why: 'calls fchownat' },
  mknod: { cap: 'CAP_MKNOD', why: 'calls mknod' },
  mknodat: { cap: 'CAP_MKNOD', why: 'calls mknodat' },
  chroot: { cap: 'CAP_SYS_CHROOT', why: 'calls chroot' },
  sethostname: { cap: 'CAP_SYS_ADMIN', why: 'calls sethostname' },
  setdomainname: { cap: 'CAP_SYS_ADMIN', why: 'calls setdomainname' },
  settimeofday: { cap: 'CAP_SYS_TIME', why: 'calls settimeofday' },
  clock_settime: { cap: 'CAP_SYS_TIME', why: 'calls clock_settime' },
  clock_adjtime: { cap: 'CAP_SYS_TIME', why: 'calls clock_adjtime' },
  adjtimex: { cap: 'CAP_SYS_TIME', why: 'calls adjtimex' },
  reboot: { cap: 'CAP_SYS_BOOT', why: 'calls reboot' },
  iopl: { cap: 'CAP_SYS_RAWIO', why: 'calls iopl' },
  ioperm: { cap: 'CAP_SYS_RAWIO', why: 'calls ioperm' },
  acct: { cap: 'CAP_SYS_PACCT', why: 'calls acct' },
  swapon: { cap: 'CAP_SYS_ADMIN', why: 'calls swapon' },
  bpf: { cap: 'CAP_BPF', why: 'calls bpf' },
  perf_event_open: { cap: 'CAP_PERFMON', why: 'calls perf_event_open' },
};
