import type { EventDetail, EventRow, EventsPage, EventsPageQuery } from '../../../../shared/api/store';
import type { Db } from '../db';
import { eventFilterSql } from './filter';
import { summarize } from './summary';

const DEFAULT_LIMIT = 200;

interface RawEvent {
  seq: number;
  t: number;
  kind: string;
  pid: number | null;
  proc: number | null;
  cid: string | null;
  data: string;
}

const COLUMNS = 'e.seq, e.t, e.kind, e.pid, e.proc, c.cid, e.data';
const FROM = 'events e LEFT JOIN containers c ON c.id = e.container';

function parseData(data: string): Record<string, unknown> {
  try {
    const v = JSON.parse(data) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function toRow(r: RawEvent, data = parseData(r.data)): EventRow {
  return {
    seq: r.seq,
    t: r.t,
    kind: r.kind,
    pid: r.pid,
    process: r.proc,
    comm: typeof data.comm === 'string' ? data.comm : null,
    cid: r.cid,
    summary: summarize(r.kind, data),
  };
}

export const cursorOf = (r: { t: number; seq: number }): string => `${r.t}:${r.seq}`;

function parseCursor(c: string): [number, number] {
  const [t, seq] = c.split(':').map(Number);
  return [t!, seq!];
}

/**
 * One page of events in time order, keyset-paged on (t, seq) in either direction: the cost of
 * a page does not depend on how deep it is. Several kinds are read as one ordered range per kind
 * (each from the (kind, t) index, at most a page each) merged by time: an IN over kinds would
 * sort every matching event of the database before taking a page.
 */
export function eventsPage(db: Db, q: EventsPageQuery): EventsPage {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const backward = q.before !== undefined;
  const kinds = q.kinds && q.kinds.length > 0 ? [...new Set(q.kinds)] : null;
  const f = eventFilterSql(db, { ...q, kinds: undefined }, 'e');
  const where = [...f.where];
  const params = [...f.params];
  if (q.after !== undefined) {
    where.push('(e.t, e.seq) > (?, ?)');
    params.push(...parseCursor(q.after));
  } else if (q.before !== undefined) {
    where.push('(e.t, e.seq) < (?, ?)');
    params.push(...parseCursor(q.before));
  }
  const dir = backward ? 'DESC' : 'ASC';
  const range = (kindClause: string) =>
    `SELECT ${COLUMNS} FROM ${FROM} WHERE ${[kindClause, ...where].join(' AND ')} ORDER BY e.t ${dir}, e.seq ${dir} LIMIT ?`;
  let sql: string;
  let all: unknown[];
  if (kinds === null) {
    sql = `${f.with}${range('1')}`;
    all = [...f.withParams, ...params, limit + 1];
  } else if (kinds.length === 1) {
    sql = `${f.with}${range('e.kind = ?')}`;
    all = [...f.withParams, kinds[0], ...params, limit + 1];
  } else {
    const arms = kinds.map(() => `SELECT * FROM (${range('e.kind = ?')})`).join(' UNION ALL ');
    sql = `${f.with}SELECT * FROM (${arms}) ORDER BY t ${dir}, seq ${dir} LIMIT ?`;
    all = [...f.withParams, ...kinds.flatMap((k) => [k, ...params, limit + 1]), limit + 1];
  }
  const raw = db.prepare<unknown[], RawEvent>(sql).all(...all);
  const more = raw.length > limit;
  if (more) raw.pop();
  if (backward) raw.reverse();
  const rows = raw.map((r) => toRow(r));
  const first = rows[0];
  const last = rows[rows.length - 1];
  let next: string | null;
  let prev: string | null = null;
  if (backward) {
    prev = more && first ? cursorOf(first) : null;
    next = last ? cursorOf(last) : (q.before ?? null);
  } else {
    next = more && last ? cursorOf(last) : null;
    if (first && (q.after !== undefined || q.from !== undefined) && existsBefore(db, q, first)) prev = cursorOf(first);
  }
  return { rows, next, prev };
}

/** Whether a page has anything before it (so "previous" is offered only when it leads somewhere). */
function existsBefore(db: Db, q: EventsPageQuery, first: { t: number; seq: number }): boolean {
  const page = eventsPage(db, { ...q, after: undefined, from: undefined, before: cursorOf(first), limit: 1 });
  return page.rows.length > 0;
}

export function eventDetail(db: Db, seq: number): EventDetail | null {
  const r = db
    .prepare<[number], RawEvent & { hostname: string | null }>(
      `SELECT ${COLUMNS}, n.hostname FROM ${FROM} LEFT JOIN nodes n ON n.id = e.node WHERE e.seq = ?`,
    )
    .get(seq);
  if (!r) return null;
  const data = parseData(r.data);
  return { ...toRow(r, data), node: r.hostname, data };
}
