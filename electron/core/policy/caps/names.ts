/** Linux capability names, as the kernel numbers them (include/uapi/linux/capability.h). */
export const CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
] as const;

const KNOWN = new Set<string>(CAPABILITIES);

/** `NET_RAW`, `net_raw` or `CAP_NET_RAW` → `CAP_NET_RAW`; undefined when not a capability. */
export function normalizeCap(s: string): string | undefined {
  const up = s.toUpperCase();
  const full = up.startsWith('CAP_') ? up : `CAP_${up}`;
  return KNOWN.has(full) ? full : undefined;
}

/** Kubernetes writes capabilities without the CAP_ prefix. */
export function k8sCapName(cap: string): string {
  return cap.startsWith('CAP_') ? cap.slice(4) : cap;
}

/**
 * Capabilities the kernel also checks without auditing, as heuristics (CAP_SYS_ADMIN when
 * estimating memory overcommit, CAP_SYS_RESOURCE for reserves): when the probe cannot tell
 * audited checks apart, these need a corroborating action before they are drafted.
 */
export const NOISY_WITHOUT_AUDIT = new Set(['CAP_SYS_ADMIN', 'CAP_SYS_RESOURCE', 'CAP_IPC_LOCK', 'CAP_SYS_NICE']);
