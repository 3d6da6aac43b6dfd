import { RULES } from '../../../../shared/alerts';
import type { AlertRow } from '../../../../shared/api';
import { Inert } from '../../ui/Inert';
import { fmtTime } from '../../ui/format';

const RULE = new Map(RULES.map((r) => [r.id, r]));

/** Alerts in time order: severity, what happened, the process; a click opens the process. */
export function AlertList({ alerts, onOpen }: { alerts: AlertRow[]; onOpen(a: AlertRow): void }) {
  return (
    <ul className="alerts" aria-label="Alerts">
      {alerts.map((a) => (
        <li key={a.id}>
          <button type="button" className={`alert-row sev-${a.severity}`} onClick={() => onOpen(a)} title={RULE.get(a.rule)?.description}>
            <span className={`sev sev-${a.severity}`}>{a.severity}</span>
            <span className="mono muted">{fmtTime(a.t)}</span>
            <span className="alert-title">{a.title}</span>
            <span className="alert-msg">
              <Inert text={a.message} clip max={160} />
            </span>
            <span className="muted small">{RULE.get(a.rule)?.technique}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
