import type { ProcessRow, ProcessSearchHit } from '../../../../shared/api/store';
import type { Db } from '../db';
import { containerIds, likeContains } from './filter';

interface RawProcess {
  id: number;
  pid: number;
  ppid: number | null;
  parent: number | null;
  origin: ProcessRow['origin'];
  comm: string | null;
  exe: string | null;
  argv: string | null;
  cwd: string | null;
  uid: number | null;
  euid: number | null;
  cid: string | null;
  hostname: string;
  start: number | null;
  first_t: number | null;
  exec_t: number | null;
  exit_t: number | null;
  exit_code: number | null;
  exit_signal: number | null;
  children: number;
}

const SELECT = `SELECT p.id, p.pid, p.ppid, p.parent, p.origin, p.comm, p.exe, p.argv, p.cwd, p.uid, p.euid, c.cid,
  n.hostname, p.start, p.first_t, p.exec_t, p.exit_t, p.exit_code, p.exit_signal,
  (SELECT count(*) FROM processes k WHERE k.parent = p.id) AS children
  FROM processes p JOIN nodes n ON n.id = p.node LEFT JOIN containers c ON c.id = p.container`;

function argvOf(s: string | null): string[] {
  if (!s) return [];
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function toProcess(r: RawProcess): ProcessRow {
  return {
    id: r.id,
    pid: r.pid,
    ppid: r.ppid,
    parent: r.parent,
    origin: r.origin,
    comm: r.comm,
    exe: r.exe,
    argv: argvOf(r.argv),
    cwd: r.cwd,
    uid: r.uid,
    euid: r.euid,
    cid: r.cid,
    node: r.hostname,
    startNs: r.start,
    firstT: r.first_t,
    execT: r.exec_t,
    exitT: r.exit_t,
    exitCode: r.exit_code,
    exitSignal: r.exit_signal,
    children: r.children,
  };
}

export function processById(db: Db, id: number): ProcessRow | null {
  const r = db.prepare<[number], RawProcess>(`${SELECT} WHERE p.id = ?`).get(id);
  return r ? toProcess(r) : null;
}

/**
 * Tops of the trees: processes without a known parent (host), or, for a container, its
 * processes whose parent is outside it (the container's init and anything entered by exec).
 */
export function processRoots(db: Db, q: { container?: string; limit?: number }): ProcessRow[] {
  const limit = q.limit ?? 1000;
  if (q.container !== undefined) {
    const ids = containerIds(db, q.container);
    if (ids.length === 0) return [];
    const inList = ids.map(() => '?').join(',');
    return db
      .prepare<unknown[], RawProcess>(
        `${SELECT} LEFT JOIN processes pp ON pp.id = p.parent
         WHERE p.container IN (${inList}) AND (pp.id IS NULL OR pp.container IS NOT p.container)
         ORDER BY p.first_t, p.id LIMIT ?`,
      )
      .all(...ids, limit)
      .map(toProcess);
  }
  return db.prepare<[number], RawProcess>(`${SELECT} WHERE p.parent IS NULL ORDER BY p.node, p.pid, p.id LIMIT ?`).all(limit).map(toProcess);
}

export function processChildren(db: Db, id: number, limit = 1000): ProcessRow[] {
  return db.prepare<[number, number], RawProcess>(`${SELECT} WHERE p.parent = ? ORDER BY p.first_t, p.id LIMIT ?`).all(id, limit).map(toProcess);
}

/** Ancestors, root first (the process itself excluded). */
export function processAncestors(db: Db, id: number): ProcessRow[] {
  const ids = ancestorIds(db, id);
  return ids.map((a) => processById(db, a)).filter((p): p is ProcessRow => p !== null);
}

function ancestorIds(db: Db, id: number): number[] {
  const rows = db
    .prepare<[number], { id: number }>(
      `WITH RECURSIVE up(id, depth) AS (
         SELECT parent, 1 FROM processes WHERE id = ?
         UNION ALL SELECT p.parent, up.depth + 1 FROM processes p JOIN up ON p.id = up.id WHERE up.depth < 1000)
       SELECT id FROM up WHERE id IS NOT NULL ORDER BY depth DESC`,
    )
    .all(id);
  return rows.map((r) => r.id);
}

/** The process and its descendants (breadth first), bounded in depth and count. */
export function processSubtree(db: Db, id: number, maxDepth = 1000, limit = 10000): ProcessRow[] {
  return db
    .prepare<[number, number, number], RawProcess>(
      `WITH RECURSIVE sub(id, depth) AS (SELECT ?, 0 UNION ALL
         SELECT k.id, sub.depth + 1 FROM processes k JOIN sub ON k.parent = sub.id WHERE sub.depth < ?)
       ${SELECT} JOIN sub ON sub.id = p.id ORDER BY sub.depth, p.first_t, p.id LIMIT ?`,
    )
    .all(id, maxDepth, limit)
    .map(toProcess);
}

/** Processes whose name, executable or arguments contain the text, with their ancestor path. */
export function processSearch(db: Db, text: string, limit = 200): ProcessSearchHit[] {
  const like = likeContains(text);
  const rows = db
    .prepare<[string, string, string, number], RawProcess>(
      `${SELECT} WHERE p.comm LIKE ? ESCAPE '\\' OR p.exe LIKE ? ESCAPE '\\' OR p.cmdline LIKE ? ESCAPE '\\'
       ORDER BY p.first_t, p.id LIMIT ?`,
    )
    .all(like, like, like, limit);
  return rows.map((r) => ({ process: toProcess(r), path: ancestorIds(db, r.id) }));
}
