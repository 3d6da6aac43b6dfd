/**
 * Policy drafts as the console shows them: observed behaviour in, reviewed drafts out. Every rule
 * carries the events that caused it, and every draft says where its data came from.
 */

/** One event behind a rule. `seq` is the store's sequence number when the event came from the store. */
export interface Evidence {
  kind: string;
  ts: number;
  pid?: number;
  comm?: string;
  seq?: number;
  /** Capture (file or session) the event belongs to. */
  capture?: string;
  /** A few words: "connect 10.0.0.2:80/TCP", "bind 0.0.0.0:80". */
  detail?: string;
}

/** Where a draft's data came from; written as annotations on every exported document. */
export interface Provenance {
  node?: string;
  pod?: string;
  namespace?: string;
  container?: string;
  containerName?: string;
  image?: string;
  captures: string[];
  /** Boot-time ns of the first and last event used. */
  from?: number;
  to?: number;
  /** The same range in wall-clock time (ISO 8601), from the collector's clock anchor. */
  wallFrom?: string;
  wallTo?: string;
  collector?: string;
}

export type Arch = 'x86_64' | 'aarch64';
export type SyscallPhase = 'runtime' | 'workload';

export interface ObservedSyscall {
  nr: number;
  name: string;
  phase: SyscallPhase;
  evidence: Evidence[];
}

export type Proto = 'TCP' | 'UDP' | 'SCTP';
export interface ObservedFlow {
  direction: 'ingress' | 'egress';
  proto: Proto;
  localAddr: string;
  localPort: number;
  peerAddr: string;
  peerPort: number;
  evidence: Evidence[];
}

export interface ObservedCap {
  cap: string;
  verdict: 'allow' | 'deny';
  /** False for checks the kernel makes without auditing (e.g. overcommit heuristics): noise. */
  audit?: boolean;
  evidence: Evidence[];
}

/** Something done that needs a capability, seen without the capability probe. */
export interface CapHint {
  cap: string;
  why: string;
  evidence: Evidence[];
}

/** Everything observed of one workload (a container, or a network namespace outside containers). */
export interface Observed {
  key: string;
  arch: Arch;
  provenance: Provenance;
  /** Local addresses seen on the workload's sockets (its pod IPs). */
  addresses: string[];
  syscalls: ObservedSyscall[];
  flows: ObservedFlow[];
  caps: ObservedCap[];
  capHints: CapHint[];
  /** Whether a capability probe was live: without it capabilities can only be inferred. */
  capProbe: boolean;
}

// ---- policies (the semantic models the formats are written from and parsed into) ----------

export interface SyscallRule {
  name: string;
  evidence: Evidence[];
  /** Set when the syscall is high-risk: why a reviewer should look twice. */
  risk?: string;
}

export interface SeccompPolicy {
  type: 'seccomp';
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures: Arch[];
  allow: SyscallRule[];
  /**
   * Rules with other actions, argument filters or Docker's conditions (`includes`/`excludes` on
   * capabilities, architectures, kernel versions), kept as loaded; never drafted.
   */
  other: Array<{ names: string[]; action: string; errnoRet?: number; args?: unknown[]; includes?: unknown; excludes?: unknown }>;
  provenance?: Provenance;
}

export interface CapRule {
  cap: string;
  basis: 'observed' | 'inferred' | 'loaded';
  why?: string;
  evidence: Evidence[];
}

export interface CapsPolicy {
  type: 'caps';
  drop: string[];
  add: CapRule[];
  /** Seen but not added (denied during the capture, checks without audit, unconfirmed inferences): for review. */
  review: CapRule[];
  provenance?: Provenance;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

export interface NetPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface NetPort {
  protocol: Proto;
  port?: number | string;
  endPort?: number;
}

export interface NetRule {
  /** Empty: every peer. */
  peers: NetPeer[];
  /** Empty: every port. */
  ports: NetPort[];
  evidence: Evidence[];
}

export interface NetPolicy {
  type: 'netpol';
  name: string;
  namespace: string;
  podSelector: LabelSelector;
  policyTypes: Array<'Ingress' | 'Egress'>;
  ingress: NetRule[];
  egress: NetRule[];
  provenance?: Provenance;
}

export type Policy = SeccompPolicy | CapsPolicy | NetPolicy;
export type PolicyType = Policy['type'];

export type PolicyFormat = 'oci' | 'spo' | 'k8s' | 'cilium';

// ---- diffs, audit ------------------------------------------------------------------------

export interface DiffEntry {
  change: 'added' | 'removed' | 'widened' | 'narrowed' | 'changed';
  /** What changed: "syscall openat", "egress to app=db ports", "defaultAction". */
  subject: string;
  before?: string;
  after?: string;
  evidence: Evidence[];
}

export interface AuditFinding {
  what: 'syscall' | 'capability' | 'connection';
  /** "syscall ptrace", "CAP_NET_RAW", "egress 10.0.0.9:443/TCP". */
  detail: string;
  /** Why it would be denied. */
  reason: string;
  evidence: Evidence[];
}
