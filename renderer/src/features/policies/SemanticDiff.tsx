import type { AuditFinding, DiffEntry, Evidence } from '../../../../shared/policy';
import { Inert } from '../../ui/Inert';

export type Decision = 'accept' | 'ignore';

const CHANGE_LABEL: Record<DiffEntry['change'], string> = {
  added: 'added',
  removed: 'removed',
  widened: 'widened',
  narrowed: 'narrowed',
  changed: 'changed',
};

/** Evidence as links: each opens the event it names (when the event is in the store). */
export function EvidenceList({ evidence, onEvidence, max = 5 }: { evidence: Evidence[]; onEvidence(e: Evidence): void; max?: number }) {
  if (evidence.length === 0) return <span className="muted small">no events recorded for this rule</span>;
  return (
    <span className="evidence">
      {evidence.slice(0, max).map((e, i) => (
        <button
          key={i}
          type="button"
          className="chip-btn"
          disabled={e.seq === undefined}
          title={e.seq === undefined ? 'This event is not in the investigation database' : 'Show this event'}
          onClick={() => onEvidence(e)}
        >
          <span className={`kind kind-${e.kind}`}>{e.kind}</span> <Inert text={[e.comm, e.pid, e.detail].filter((x) => x !== undefined).join(' ')} clip max={60} />
        </button>
      ))}
      {evidence.length > max && <span className="muted small">+{evidence.length - max} more</span>}
    </span>
  );
}

/**
 * Rules added, removed, widened or narrowed, each with the events behind it; the responder
 * accepts or ignores each before export.
 */
export function SemanticDiff({
  entries,
  decisions,
  onDecide,
  onEvidence,
}: {
  entries: DiffEntry[];
  decisions: Record<string, Decision>;
  onDecide(subject: string, d: Decision | null): void;
  onEvidence(e: Evidence): void;
}) {
  if (entries.length === 0) return <p className="muted">No semantic difference: both allow exactly the same.</p>;
  return (
    <ul className="sdiff" aria-label="Semantic diff">
      {entries.map((e) => {
        const d = decisions[e.subject];
        return (
          <li key={e.subject} className={`sdiff-entry change-${e.change} ${d ? `decided-${d}` : ''}`}>
            <span className={`sdiff-change change-${e.change}`}>{CHANGE_LABEL[e.change]}</span>
            <span className="sdiff-subject">
              <Inert text={e.subject} clip max={120} />
              {(e.before !== undefined || e.after !== undefined) && (
                <span className="muted small">
                  {' '}
                  <Inert text={e.before ?? '∅'} clip max={60} /> → <Inert text={e.after ?? '∅'} clip max={60} />
                </span>
              )}
            </span>
            <span className="sdiff-decide" role="group" aria-label={`Decision for ${e.subject}`}>
              <button type="button" className={`btn ${d === 'accept' ? 'btn-primary' : ''}`} aria-pressed={d === 'accept'} onClick={() => onDecide(e.subject, d === 'accept' ? null : 'accept')}>
                Accept
              </button>
              <button type="button" className={`btn ${d === 'ignore' ? 'btn-primary' : ''}`} aria-pressed={d === 'ignore'} onClick={() => onDecide(e.subject, d === 'ignore' ? null : 'ignore')}>
                Ignore
              </button>
            </span>
            <div className="sdiff-evidence">
              <EvidenceList evidence={e.evidence} onEvidence={onEvidence} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** What the policy would have denied during the capture. */
export function AuditList({ findings, onEvidence }: { findings: AuditFinding[]; onEvidence(e: Evidence): void }) {
  if (findings.length === 0) return <p className="ok-text">Nothing captured would have been denied by this policy.</p>;
  return (
    <ul className="sdiff" aria-label="Audit findings">
      {findings.map((f, i) => (
        <li key={i} className="sdiff-entry change-removed">
          <span className="sdiff-change change-removed">would deny</span>
          <span className="sdiff-subject">
            <Inert text={f.detail} clip max={120} /> <span className="muted small">· {f.what}</span>
          </span>
          <span className="muted small">
            <Inert text={f.reason} clip max={160} />
          </span>
          <div className="sdiff-evidence">
            <EvidenceList evidence={f.evidence} onEvidence={onEvidence} />
          </div>
        </li>
      ))}
    </ul>
  );
}
