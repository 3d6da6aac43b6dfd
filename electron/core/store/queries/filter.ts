import type { Db } from '../db';

export interface EventFilter {
  kinds?: string[];
  container?: string;
  process?: number;
  subtree?: boolean;
  from?: number;
  to?: number;
  text?: string;
}

export interface Sql {
  where: string[];
  /** Parameters of the WHERE clauses, in order. */
  params: unknown[];
  /** A CTE prefix the WHERE clauses refer to, and its parameters (they come first in a statement). */
  with: string;
  withParams: unknown[];
}

const SUBTREE_LIMIT_DEPTH = 1000;
/** Processes from which a subtree's events are scanned in time order rather than per process. */
const LARGE_SUBTREE = 200;

function subtreeSize(db: Db, id: number, cap: number): number {
  return db
    .prepare<[number, number], { n: number }>(
      `WITH RECURSIVE sub(id, depth) AS (SELECT ?, 0 UNION ALL
         SELECT p.id, sub.depth + 1 FROM processes p JOIN sub ON p.parent = sub.id WHERE sub.depth < ${SUBTREE_LIMIT_DEPTH})
       SELECT count(*) AS n FROM (SELECT 1 FROM sub LIMIT ?)`,
    )
    .get(id, cap)!.n;
}

/** A process and its descendants (ids ascending). */
export function subtreeIds(db: Db, id: number): number[] {
  return db
    .prepare<[number], number>(
      `WITH RECURSIVE sub(id, depth) AS (SELECT ?, 0 UNION ALL
         SELECT p.id, sub.depth + 1 FROM processes p JOIN sub ON p.parent = sub.id WHERE sub.depth < ${SUBTREE_LIMIT_DEPTH})
       SELECT DISTINCT id FROM sub ORDER BY id`,
    )
    .pluck()
    .all(id);
}

/** Escapes LIKE wildcards so a search for "50%" finds "50%". */
export function likeContains(text: string): string {
  return '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/** Container row ids for a runtime id or a unique-enough prefix of it (all nodes). */
export function containerIds(db: Db, cid: string): number[] {
  const rows = db
    .prepare<[string, string], { id: number }>("SELECT id FROM containers WHERE cid = ? OR cid LIKE ? ESCAPE '\\' LIMIT 64")
    .all(cid, cid.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
  return rows.map((r) => r.id);
}

/** WHERE clauses over `events` for a filter; values are always bound, never spliced. */
export function eventFilterSql(db: Db, f: EventFilter, alias = ''): Sql {
  const a = alias ? `${alias}.` : '';
  const where: string[] = [];
  const params: unknown[] = [];
  let withSql = '';
  const withParams: unknown[] = [];
  if (f.kinds && f.kinds.length > 0) {
    where.push(`${a}kind IN (${f.kinds.map(() => '?').join(',')})`);
    params.push(...f.kinds);
  }
  if (f.container !== undefined) {
    const ids = containerIds(db, f.container);
    where.push(ids.length ? `${a}container IN (${ids.map(() => '?').join(',')})` : '0');
    params.push(...ids);
  }
  if (f.process !== undefined) {
    if (f.subtree) {
      withSql = `WITH RECURSIVE sub(id, depth) AS (SELECT ?, 0 UNION ALL
        SELECT p.id, sub.depth + 1 FROM processes p JOIN sub ON p.parent = sub.id WHERE sub.depth < ${SUBTREE_LIMIT_DEPTH}) `;
      withParams.push(f.process);
      // a large subtree (a whole host) is read in time order with a membership test; a small one
      // through its processes' index ranges, then sorted: each way reads only about one page
      const large = subtreeSize(db, f.process, LARGE_SUBTREE) >= LARGE_SUBTREE;
      where.push(`${large ? '+' : ''}${a}proc IN (SELECT id FROM sub)`);
    } else {
      where.push(`${a}proc = ?`);
      params.push(f.process);
    }
  }
  if (f.from !== undefined) {
    where.push(`${a}t >= ?`);
    params.push(f.from);
  }
  if (f.to !== undefined) {
    where.push(`${a}t < ?`);
    params.push(f.to);
  }
  if (f.text) {
    where.push(`${a}data LIKE ? ESCAPE '\\'`);
    params.push(likeContains(f.text));
  }
  return { where, params, with: withSql, withParams };
}
