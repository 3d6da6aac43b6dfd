/** Policy drafts, diffs, merge, audit and export. */
import { array, bool, int, object, oneOf, optional, str } from '../schema';
import type { AuditFinding, DiffEntry, Policy, PolicyFormat, Provenance } from '../policy';
import { method } from './method';

export interface WorkloadSummary {
  key: string;
  provenance: Provenance;
  syscalls: number;
  flows: number;
  capabilities: number;
}

export interface DraftResult {
  policy: Policy;
  format: PolicyFormat;
  /** The exported document (validated against its schema). */
  text: string;
  notes: string[];
}

export interface PolicyDiffResult {
  entries: DiffEntry[];
  /** Unified diff of both documents rendered the same way; empty when equal. */
  text: string;
}

/** A draft kept in the investigation, to compare the next one against. */
export interface SavedDraft {
  id: number;
  type: 'seccomp' | 'caps' | 'netpol';
  name: string;
  /** The workload (container id or netns key) it was drafted for. */
  workload: string;
  createdAt: number;
  provenance: Provenance | null;
}

export interface AuditResult {
  key: string;
  findings: AuditFinding[];
}

/** Policy documents arrive as text (JSON or YAML); the core bounds and validates them. */
const policyText = str({ min: 2, max: 4 * 1024 * 1024 });
/** `kubectl get pods -A -o json` output, for selectors on known pods. */
const podsText = optional(str({ max: 64 * 1024 * 1024 }));
const by = optional(oneOf(['container', 'netns']));
const kind = oneOf(['seccomp', 'caps', 'netpol']);
const format = optional(oneOf(['oci', 'spo', 'k8s', 'cilium']));
const workloads = array(str({ min: 1, max: 256 }), { max: 64 });

/** Which events count: a time range (wall-clock µs, as the store keeps them) and a set of captures. */
const range = {
  from: optional(int({ min: 0 })),
  to: optional(int({ min: 0 })),
  captures: optional(array(int({ min: 1 }), { max: 1024 })),
};

/** Rules the reviewer ignored, named as the semantic diff names them ("syscall chmod"). */
const leaveOut = optional(array(str({ min: 1, max: 1024 }), { max: 4096 }));

export const DraftArgs = object({ workloads, kind, format, complain: optional(bool()), pods: podsText, by, leaveOut, ...range });

export const policyMethods = {
  policyWorkloads: method<WorkloadSummary[]>()(object({ by, ...range })),
  /** One workload's draft, or the merge of several (replicas, captures). */
  policyDraft: method<DraftResult>()(DraftArgs),
  /** Reads a policy the responder loads; errors name the field path. */
  policyLoad: method<Policy>()(object({ text: policyText })),
  policyDiff: method<PolicyDiffResult>()(object({ a: policyText, b: policyText })),
  /** `policy` may hold several policies (YAML documents or a List): NetworkPolicies apply together. */
  policyAudit: method<AuditResult[]>()(object({ policy: policyText, workloads: optional(workloads), pods: podsText, by, ...range })),
  /** Keeps a draft (its exported text) in the investigation database. */
  policySave: method<SavedDraft>()(object({ ...DraftArgs.shape, name: optional(str({ min: 1, max: 253 })) })),
  /** Saved drafts, newest first, optionally of one workload and type. */
  policySaved: method<SavedDraft[]>()(object({ workload: optional(str({ max: 256 })), type: optional(kind) })),
  policySavedText: method<{ text: string }>()(object({ id: int({ min: 1 }) })),
  /** Writes a draft to a new file (never overwrites). */
  policyExport: method<{ path: string; bytes: number }>()(object({ ...DraftArgs.shape, path: str({ min: 1, max: 4096 }) })),
} as const;
