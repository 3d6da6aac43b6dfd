import { EVENT_FIELD_MAX, type EventDetail, type EventRow, type EventSort, type EventsPage, type EventsPageQuery } from '../../../../shared/api/store';
import type { Db } from '../db';
import { containerIds, eventFilterSql, subtreeIds } from './filter';
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

/** A field of the line as bounded text for a table cell. */
function fieldText(v: unknown): string {
  const s = typeof v === 'string' ? v : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ') : JSON.stringify(v);
  return s.length > EVENT_FIELD_MAX ? s.slice(0, EVENT_FIELD_MAX) : s;
}

function pickFields(data: Record<string, unknown>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    // own properties only: a line naming "__proto__" or "constructor" is data, not a path into Object
    if (Object.prototype.hasOwnProperty.call(data, n) && data[n] !== undefined && data[n] !== null) out[n] = fieldText(data[n]);
  }
  return out;
}

export function toRow(r: RawEvent, data = parseData(r.data), fields?: readonly string[]): EventRow {
  return {
    ...(fields && fields.length > 0 ? { fields: pickFields(data, fields) } : {}),
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
 * One page of events in the order asked for, keyset-paged in either direction: the cost of a page
 * does not depend on how deep it is. Time order reads (t, seq); the other sorts read (key, t, seq)
 * along their key's index (see EVENT_SORTS). The cursor is always a row's "t:seq": the sort key is
 * read from that row.
 */
export function eventsPage(db: Db, q: EventsPageQuery): EventsPage {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const backward = q.before !== undefined;
  // The direction rows are read in: the sort's own, reversed for the previous page.
  const desc = (q.desc ?? false) !== backward;
  const cursor = q.after ?? q.before;
  const sort = q.sort ?? 'time';
  const raw = sort === 'time' ? byTime(db, q, cursor, desc, limit + 1) : byKey(db, q, sort, cursor, desc, limit + 1);
  const more = raw.length > limit;
  if (more) raw.pop();
  if (backward) raw.reverse();
  const rows = raw.map((r) => toRow(r, undefined, q.fields));
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

/**
 * Rows in time order from a cursor. Several kinds are read as one ordered range per kind (each
 * from the (kind, t) index, at most a page each) merged by time: an IN over kinds would sort every
 * matching event of the database before taking a page.
 */
function byTime(db: Db, q: EventsPageQuery, cursor: string | undefined, desc: boolean, n: number): RawEvent[] {
  const kinds = q.kinds && q.kinds.length > 0 ? [...new Set(q.kinds)] : null;
  const f = eventFilterSql(db, { ...q, kinds: undefined }, 'e');
  const where = [...f.where];
  const params = [...f.params];
  if (cursor !== undefined) {
    where.push(`(e.t, e.seq) ${desc ? '<' : '>'} (?, ?)`);
    params.push(...parseCursor(cursor));
  }
  const dir = desc ? 'DESC' : 'ASC';
  const range = (kindClause: string) =>
    `SELECT ${COLUMNS} FROM ${FROM} WHERE ${[kindClause, ...where].join(' AND ')} ORDER BY e.t ${dir}, e.seq ${dir} LIMIT ?`;
  let sql: string;
  let all: unknown[];
  if (kinds === null) {
    sql = `${f.with}${range('1')}`;
    all = [...f.withParams, ...params, n];
  } else if (kinds.length === 1) {
    sql = `${f.with}${range('e.kind = ?')}`;
    all = [...f.withParams, kinds[0], ...params, n];
  } else {
    const arms = kinds.map(() => `SELECT * FROM (${range('e.kind = ?')})`).join(' UNION ALL ');
    sql = `${f.with}SELECT * FROM (${arms}) ORDER BY t ${dir}, seq ${dir} LIMIT ?`;
    all = [...f.withParams, ...kinds.flatMap((k) => [k, ...params, n]), n];
  }
  return db.prepare<unknown[], RawEvent>(sql).all(...all);
}

/** The column of each sort key (each has an index on (key, t)). */
const KEY_COLUMN = { kind: 'kind', container: 'container', process: 'proc' } as const;
type Key = string | number | null;

/**
 * Rows in (key, t, seq) order from a cursor. With a filter on the key itself (or a time range),
 * the groups — each kind, container or process — are read one after the other, each along its
 * index range; otherwise the whole index is read in order (host-level rows, whose container or
 * process is null, first). Other filters are checked on the rows read.
 */
function byKey(db: Db, q: EventsPageQuery, sort: Exclude<EventSort, 'time'>, cursor: string | undefined, desc: boolean, n: number): RawEvent[] {
  const col = `e.${KEY_COLUMN[sort]}`;
  const f = eventFilterSql(
    db,
    {
      ...q,
      kinds: sort === 'kind' ? undefined : q.kinds,
      container: sort === 'container' ? undefined : q.container,
      process: sort === 'process' ? undefined : q.process,
    },
    'e',
  );
  const dir = desc ? 'DESC' : 'ASC';
  const op = desc ? '<' : '>';
  let start: { key: Key; t: number; seq: number } | null = null;
  if (cursor !== undefined) {
    const seq = parseCursor(cursor)[1];
    const r = db.prepare<[number], { key: Key; t: number }>(`SELECT ${KEY_COLUMN[sort]} AS key, t FROM events WHERE seq = ?`).get(seq);
    if (!r) throw new Error(`eventsPage: no event ${seq} to continue from`);
    start = { key: r.key, t: r.t, seq };
  }
  const out: RawEvent[] = [];
  /** Reads rows matching `clause` (and the filter) in order, up to the page's end. */
  const read = (clause: string, clauseParams: unknown[], order: string) => {
    const sql = `${f.with}SELECT ${COLUMNS} FROM ${FROM} WHERE ${[clause, ...f.where].join(' AND ')} ORDER BY ${order} LIMIT ?`;
    out.push(...db.prepare<unknown[], RawEvent>(sql).all(...f.withParams, ...clauseParams, ...f.params, n - out.length));
  };
  const byTimeOrder = `e.t ${dir}, e.seq ${dir}`;
  const groups = keyGroups(db, q, sort);
  if (groups !== null) {
    if (desc) groups.reverse();
    let i = 0;
    if (start) {
      const at = groups.indexOf(start.key);
      i = at >= 0 ? at : groups.findIndex((g) => (desc ? before(g, start.key) : before(start.key, g)));
      if (i < 0) return out;
    }
    for (; i < groups.length && out.length < n; i++) {
      const g = groups[i]!;
      const clause = g === null ? `${col} IS NULL` : `${col} = ?`;
      const params: unknown[] = g === null ? [] : [g];
      if (start && g === start.key) read(`${clause} AND (e.t, e.seq) ${op} (?, ?)`, [...params, start.t, start.seq], byTimeOrder);
      else read(clause, params, byTimeOrder);
    }
    return out;
  }
  // The whole index in order; host-level rows (null key) come first ascending, last descending.
  const nullable = sort !== 'kind';
  const nulls = () => {
    if (!nullable || out.length >= n) return;
    if (start && start.key === null) read(`${col} IS NULL AND (e.t, e.seq) ${op} (?, ?)`, [start.t, start.seq], byTimeOrder);
    else read(`${col} IS NULL`, [], byTimeOrder);
  };
  const keyed = () => {
    if (out.length >= n) return;
    const order = `${col} ${dir}, ${byTimeOrder}`;
    // `IS NOT NULL` also lets the planner use the container index, which holds keyed rows only
    if (start && start.key !== null) read(`${col} IS NOT NULL AND (${col}, e.t, e.seq) ${op} (?, ?, ?)`, [start.key, start.t, start.seq], order);
    else read(`${col} IS NOT NULL`, [], order);
  };
  if (!desc) {
    if (!start || start.key === null) nulls();
    keyed();
  } else {
    if (!start || start.key !== null) keyed();
    nulls();
  }
  return out;
}

/** Null first, then numbers, then strings (SQLite's order for these columns). */
function before(a: Key, b: Key): boolean {
  if (a === null) return b !== null;
  if (b === null) return false;
  if (typeof a !== typeof b) return typeof a === 'number';
  return a < b;
}

/**
 * The groups a sort reads one by one, ascending, or null to read the key's whole index in order:
 * the kinds, containers or processes the filter names; every kind or container when a time range
 * bounds each group.
 */
function keyGroups(db: Db, q: EventsPageQuery, sort: Exclude<EventSort, 'time'>): Key[] | null {
  const range = q.from !== undefined || q.to !== undefined;
  if (sort === 'kind') {
    if (q.kinds && q.kinds.length > 0)
      return db.prepare<[string], string>('SELECT DISTINCT value FROM json_each(?) ORDER BY value').pluck().all(JSON.stringify(q.kinds));
    return range ? db.prepare<[], string>('SELECT kind FROM kind_counts ORDER BY kind').pluck().all() : null;
  }
  if (sort === 'container') {
    if (q.container !== undefined) return containerIds(db, q.container).sort((a, b) => a - b);
    return range ? [null, ...db.prepare<[], number>('SELECT id FROM containers ORDER BY id').pluck().all()] : null;
  }
  if (q.process === undefined) return null;
  return q.subtree ? subtreeIds(db, q.process) : [q.process];
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
