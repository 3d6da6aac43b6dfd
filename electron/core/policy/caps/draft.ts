/**
 * Capability drafts: drop ALL, add what the workload needed. With the capability probe live the
 * kernel's own checks decide ("observed"); without it, actions that need a capability do
 * ("inferred"). Whatever is seen but not drafted goes to `review` with the reason.
 */
import type { CapRule, CapsPolicy, Evidence, Observed } from '../../../../shared/policy';
import { mergeEvidence } from '../observe/evidence';
import { NOISY_WITHOUT_AUDIT } from './names';

export function draftCaps(o: Observed): CapsPolicy {
  const add = new Map<string, CapRule>();
  const review = new Map<string, CapRule>();
  const hintsByCap = new Map<string, { why: string[]; evidence: Evidence[] }>();
  for (const h of o.capHints) {
    const x = hintsByCap.get(h.cap) ?? { why: [], evidence: [] };
    x.why.push(h.why);
    x.evidence = mergeEvidence(x.evidence, h.evidence);
    hintsByCap.set(h.cap, x);
  }
  const put = (m: Map<string, CapRule>, r: CapRule) => {
    const cur = m.get(r.cap);
    if (!cur) m.set(r.cap, r);
    else cur.evidence = mergeEvidence(cur.evidence, r.evidence);
  };

  if (o.capProbe) {
    for (const c of o.caps) {
      if (c.audit === false) continue;
      const hint = hintsByCap.get(c.cap);
      if (c.verdict === 'deny') {
        put(review, { cap: c.cap, basis: 'observed', why: 'checked and denied during the capture', evidence: c.evidence });
        continue;
      }
      if (c.audit === undefined && NOISY_WITHOUT_AUDIT.has(c.cap) && !hint) {
        put(review, { cap: c.cap, basis: 'observed', why: 'checked without an audit flag and no action needing it seen: likely a kernel heuristic', evidence: c.evidence });
        continue;
      }
      const rule: CapRule = { cap: c.cap, basis: 'observed', evidence: c.evidence };
      if (hint) rule.why = hint.why.join('; ');
      put(add, rule);
    }
    for (const [cap, h] of hintsByCap) {
      if (!add.has(cap) && !review.has(cap))
        put(review, { cap, basis: 'inferred', why: `${h.why.join('; ')} — but the kernel never checked it`, evidence: h.evidence });
    }
    for (const cap of add.keys()) review.delete(cap);
  } else {
    for (const [cap, h] of hintsByCap) put(add, { cap, basis: 'inferred', why: h.why.join('; '), evidence: h.evidence });
  }
  const byName = (a: CapRule, b: CapRule) => a.cap.localeCompare(b.cap);
  return {
    type: 'caps',
    drop: ['ALL'],
    add: [...add.values()].sort(byName),
    review: [...review.values()].sort(byName),
    provenance: o.provenance,
  };
}
