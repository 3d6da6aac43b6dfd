/**
 * Alerts: what the detection rules flag for a responder, with the events behind each one.
 * Rule metadata lives here so the console can explain a rule without asking the core.
 */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface RuleInfo {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** MITRE ATT&CK technique, for the responder's report. */
  readonly technique: string;
  readonly description: string;
}

export interface Alert {
  rule: string;
  severity: Severity;
  title: string;
  /** What happened, in one line, with the concrete process and object. */
  message: string;
  ts: number;
  pid: number;
  /** Process start (ns since boot): with pid, the process identity. */
  start: number | null;
  comm: string;
  cid: string | null;
  /** Sequence numbers (store) or line numbers (capture) of the events behind the alert. */
  evidence: number[];
}

export const RULES: readonly RuleInfo[] = [
  {
    id: 'shell-from-service',
    title: 'Shell spawned by a network service',
    severity: 'high',
    technique: 'T1059.004',
    description: 'A shell started from a process that accepts network connections: the classic sign of remote code execution in a server.',
  },
  {
    id: 'sensitive-file-read',
    title: 'Credential file opened',
    severity: 'high',
    technique: 'T1003.008',
    description: 'A process opened /etc/shadow, /etc/gshadow, sudoers or an SSH private key.',
  },
  {
    id: 'exec-from-writable',
    title: 'Binary executed from a writable location',
    severity: 'high',
    technique: 'T1105',
    description: 'A program ran from /tmp, /var/tmp, /dev/shm or a container\'s writable layer: usually a dropped payload.',
  },
  {
    id: 'download-tool',
    title: 'Download tool executed',
    severity: 'medium',
    technique: 'T1105',
    description: 'curl, wget, tftp or similar ran; in a server container this is often the fetch of a second stage.',
  },
  {
    id: 'shell-outbound',
    title: 'Shell or netcat connecting out',
    severity: 'critical',
    technique: 'T1059.004',
    description: 'A shell, netcat or socat made an outbound connection: the shape of a reverse shell.',
  },
  {
    id: 'ptrace-attach',
    title: 'Process attached with ptrace',
    severity: 'high',
    technique: 'T1055.008',
    description: 'PTRACE_ATTACH or PTRACE_SEIZE on another process: debugging, or code injection.',
  },
  {
    id: 'module-load',
    title: 'Kernel module loaded',
    severity: 'critical',
    technique: 'T1547.006',
    description: 'init_module or finit_module: code running in the kernel.',
  },
  {
    id: 'setuid-root',
    title: 'Process became root',
    severity: 'high',
    technique: 'T1548',
    description: 'A non-root process changed its user id to 0.',
  },
  {
    id: 'namespace-change',
    title: 'Namespace change inside a container',
    severity: 'high',
    technique: 'T1611',
    description: 'setns, unshare or mount from inside a container: a common container-escape step.',
  },
];

export const RULES_BY_ID: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((r) => [r.id, r]));
