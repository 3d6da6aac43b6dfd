import type { CollectorEvent } from '../../../../shared/events';
import type { Evidence } from '../../../../shared/policy';

/** An event with where it came from: the store's sequence number and the capture. */
export interface SourcedEvent {
  event: CollectorEvent;
  seq?: number;
  capture?: string;
}

/** Rules keep a few events each: enough to review, bounded for a busy workload. */
export const EVIDENCE_PER_RULE = 5;

export function evidenceOf(s: SourcedEvent, detail?: string): Evidence {
  const e = s.event;
  const out: Evidence = { kind: e.kind, ts: e.ts ?? 0 };
  if (typeof e.pid === 'number') out.pid = e.pid;
  if (typeof e.comm === 'string') out.comm = e.comm;
  if (s.seq !== undefined) out.seq = s.seq;
  if (s.capture !== undefined) out.capture = s.capture;
  if (detail) out.detail = detail;
  return out;
}

/**
 * Adds evidence keeping the earliest few in time order, without duplicates (same kind, time,
 * process and capture). Events mostly arrive in time order, so a full list usually returns at once.
 */
export function addEvidence(list: Evidence[], ev: Evidence): void {
  if (list.length >= EVIDENCE_PER_RULE && ev.ts >= list[list.length - 1]!.ts) return;
  if (list.some((x) => x.ts === ev.ts && x.pid === ev.pid && x.kind === ev.kind && x.capture === ev.capture)) return;
  let i = list.length;
  while (i > 0 && list[i - 1]!.ts > ev.ts) i--;
  list.splice(i, 0, ev);
  if (list.length > EVIDENCE_PER_RULE) list.length = EVIDENCE_PER_RULE;
}

export function mergeEvidence(a: Evidence[], b: Evidence[]): Evidence[] {
  const out = a.map((x) => ({ ...x }));
  for (const e of b) addEvidence(out, e);
  return out.sort((x, y) => x.ts - y.ts);
}
