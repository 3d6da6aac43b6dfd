/**
 * Policies compared as documents lose the events behind their rules; the drafts still have them.
 * Puts each draft rule's evidence back on the diff entry that names it.
 */
import type { DiffEntry, Evidence, Policy } from '../../../../shared/policy';

function index(p: Policy | undefined): Map<string, Evidence[]> {
  const m = new Map<string, Evidence[]>();
  if (!p) return m;
  if (p.type === 'seccomp') for (const r of p.allow) m.set(`syscall ${r.name}`, r.evidence);
  if (p.type === 'caps') for (const r of [...p.add, ...p.review]) m.set(`capability ${r.cap}`, r.evidence);
  return m;
}

/** `after` is the policy entries were added to, `before` the baseline (for removed rules). */
export function attachEvidence(entries: DiffEntry[], after: Policy | undefined, before?: Policy): DiffEntry[] {
  const a = index(after);
  const b = index(before);
  return entries.map((e) => {
    if (e.evidence.length) return e;
    const ev = (e.change === 'removed' || e.change === 'narrowed' ? b : a).get(e.subject) ?? [];
    return ev.length ? { ...e, evidence: ev } : e;
  });
}
