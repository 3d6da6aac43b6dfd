import type { Db } from '../store/db';
import type { AlertRow } from '../../../shared/api/alerts';
import type { Severity } from '../../../shared/alerts';

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

interface Row {
  id: number;
  t: number;
  rule: string;
  severity: Severity;
  proc: number | null;
  event: number | null;
  detail: string | null;
  cid: string | null;
}

export interface AlertQuery {
  minSeverity?: Severity;
  rule?: string;
  proc?: number;
  limit?: number;
}

export function listAlerts(db: Db, q: AlertQuery): AlertRow[] {
  const min = RANK[q.minSeverity ?? 'low'];
  const severities = (Object.keys(RANK) as Severity[]).filter((s) => RANK[s] >= min);
  const rows = db
    .prepare<unknown[], Row>(
      `SELECT a.id, a.t, a.rule, a.severity, a.proc, a.event, a.detail, c.cid
         FROM alerts a LEFT JOIN containers c ON c.id = a.container
        WHERE a.severity IN (${severities.map(() => '?').join(', ')})
          AND (? IS NULL OR a.rule = ?) AND (? IS NULL OR a.proc = ?)
        ORDER BY a.t, a.id LIMIT ?`,
    )
    .all(...severities, q.rule ?? null, q.rule ?? null, q.proc ?? null, q.proc ?? null, q.limit ?? 1000);
  return rows.map((r) => {
    let d: { title?: unknown; message?: unknown; pid?: unknown; comm?: unknown; evidence?: unknown } = {};
    try {
      d = JSON.parse(r.detail ?? '{}') as typeof d;
    } catch {
      // a damaged detail keeps the typed columns
    }
    const evidence = Array.isArray(d.evidence) ? d.evidence.filter((n): n is number => Number.isInteger(n)) : r.event !== null ? [r.event] : [];
    return {
      id: r.id,
      t: r.t,
      rule: r.rule,
      severity: r.severity,
      title: typeof d.title === 'string' ? d.title : r.rule,
      message: typeof d.message === 'string' ? d.message : '',
      proc: r.proc,
      pid: typeof d.pid === 'number' ? d.pid : null,
      comm: typeof d.comm === 'string' ? d.comm : null,
      cid: r.cid,
      evidence,
    };
  });
}
