import type { ProcessRow, ProcessSearchHit, ProcessSubtreePage } from '../../../../shared/api/store';
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

const COLUMNS = `p.id, p.pid, p.ppid, p.parent, p.origin, p.comm, p.exe, p.argv, p.cwd, p.uid, p.euid, c.cid,
  n.hostname, p.start, p.first_t, p.exec_t, p.exit_t, p.exit_code, p.exit_signal`;
const FROM = 'FROM processes p JOIN nodes n ON n.id = p.node LEFT JOIN containers c ON c.id = p.container';
const SELECT = `SELECT ${COLUMNS}, (SELECT count(*) FROM processes k WHERE k.parent = p.id) AS children ${FROM}`;
/** The same without the children count (a walk counts them itself). */
const SELECT_ROW = `SELECT ${COLUMNS}, 0 AS children ${FROM}`;

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

export interface SubtreeQuery {
  id: number;
  /** Levels below the process (1 = its children); 1000 by default. */
  maxDepth?: number;
  /** The `next` of the previous page: the id of the last process it held. */
  after?: number;
  limit?: number;
}

/** Children looked up per statement: the next siblings' children come with a node's own. */
const KIDS_BATCH = 256;

interface Frame {
  parent: number;
  /** Children of `parent` still to visit from `i` on, in start order, with their first_t. */
  ids: number[];
  ts: Array<number | null>;
  i: number;
  depth: number;
  /** More children after `ids` (a resumed level reads its siblings in batches). */
  more: boolean;
}

/**
 * The process and its descendants in tree order (pre-order: each process, then its children's
 * subtrees in start order), one page at a time. The cursor is the last process of a page: the walk
 * resumes from its ancestor path, reading each level's next siblings by (first_t, id) — no recount
 * of what came before, so the cost of a page does not grow with its depth in a 100k-process tree.
 * Null when `after` is not in this subtree.
 */
export function processSubtreePage(db: Db, q: SubtreeQuery): ProcessSubtreePage | null {
  const maxDepth = q.maxDepth ?? 1000;
  const limit = q.limit ?? 10000;
  const kidsOfMany = db
    .prepare<[string], [number, number, number | null]>('SELECT parent, id, first_t FROM processes WHERE parent IN (SELECT value FROM json_each(?))')
    .raw();
  const fetched = new Map<number, { ids: number[]; ts: Array<number | null> }>();
  /** All children of `ids[at]` in start order; its next siblings' children come in the same statement. */
  const kidsAt = (ids: readonly number[], at: number) => {
    const id = ids[at]!;
    let kids = fetched.get(id);
    if (!kids) {
      const batch = ids.slice(at, at + KIDS_BATCH);
      const found = new Map<number, Array<[number, number | null]>>(batch.map((p) => [p, []]));
      for (const [p, k, t] of kidsOfMany.all(JSON.stringify(batch))) found.get(p)?.push([k, t]);
      for (const [p, list] of found) {
        if (list.length > 1) list.sort(byStart);
        fetched.set(p, { ids: list.map((x) => x[0]), ts: list.map((x) => x[1]) });
      }
      kids = fetched.get(id)!;
    }
    fetched.delete(id);
    return kids;
  };
  // Frames of the walk: children still to visit under each open ancestor, innermost last.
  const stack: Frame[] = [];
  const out: number[] = [];
  /** Children counted while walking (the rows' `children` without a count per row). */
  const counts = new Map<number, number>();
  const open = (ids: readonly number[], at: number, depth: number) => {
    if (depth > maxDepth) return;
    const kids = kidsAt(ids, at);
    counts.set(ids[at]!, kids.ids.length);
    if (kids.ids.length > 0) stack.push({ parent: ids[at]!, ...kids, i: 0, depth, more: false });
  };
  if (q.after === undefined) {
    if (db.prepare('SELECT 1 FROM processes WHERE id = ?').get(q.id) === undefined) return { rows: [], next: null };
    out.push(q.id);
    open([q.id], 0, 1);
  } else {
    const up = [...ancestorIds(db, q.after), q.after];
    const at = up.indexOf(q.id);
    if (at < 0 || up.length - 1 - at > maxDepth) return null;
    const path = up.slice(at);
    const firstT = db.prepare<[number], number | null>('SELECT first_t FROM processes WHERE id = ?').pluck();
    for (let k = 1; k < path.length; k++) {
      const f: Frame = { parent: path[k - 1]!, ids: [path[k]!], ts: [firstT.get(path[k]!) ?? null], i: 1, depth: k, more: true };
      if (refill(db, f, limit)) stack.push(f);
    }
    open(path, path.length - 1, path.length);
  }
  while (out.length < limit && stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.i >= f.ids.length && !refill(db, f, limit)) {
      stack.pop();
      continue;
    }
    out.push(f.ids[f.i]!);
    f.i++;
    open(f.ids, f.i - 1, f.depth + 1);
  }
  while (stack.length > 0 && !refill(db, stack[stack.length - 1]!, 1)) stack.pop();
  const rows = processesById(db, out, counts);
  return { rows, next: stack.length > 0 && out.length > 0 ? out[out.length - 1]! : null };
}

/** first_t, then id, nulls first: the order of processChildren. */
const byStart = (a: [number, number | null], b: [number, number | null]) => (a[1] ?? -Infinity) - (b[1] ?? -Infinity) || a[0] - b[0];

/**
 * Makes sure a frame has a child left to visit, reading up to `batch` next siblings after its last
 * one by (first_t, id) when it has run out (a page's worth: one read per level and page). False
 * when the level is done.
 */
function refill(db: Db, f: Frame, batch: number): boolean {
  if (f.i < f.ids.length) return true;
  if (!f.more) return false;
  const id = f.ids[f.ids.length - 1]!;
  const t = f.ts[f.ts.length - 1] ?? null;
  const next =
    t === null
      ? db
          .prepare<[number, number, number], [number, number | null]>(
            'SELECT id, first_t FROM processes WHERE parent = ? AND ((first_t IS NULL AND id > ?) OR first_t IS NOT NULL) ORDER BY first_t, id LIMIT ?',
          )
          .raw()
          .all(f.parent, id, batch + 1)
      : db
          .prepare<[number, number, number, number, number], [number, number | null]>(
            'SELECT id, first_t FROM processes WHERE parent = ? AND (first_t > ? OR (first_t = ? AND id > ?)) ORDER BY first_t, id LIMIT ?',
          )
          .raw()
          .all(f.parent, t, t, id, batch + 1);
  f.more = next.length > batch;
  if (f.more) next.pop();
  f.ids = next.map((x) => x[0]);
  f.ts = next.map((x) => x[1]);
  f.i = 0;
  return next.length > 0;
}

/** Rows of these processes, in the order given (one statement); children counted unless known. */
function processesById(db: Db, ids: number[], counts: ReadonlyMap<number, number>): ProcessRow[] {
  if (ids.length === 0) return [];
  const raw = db.prepare<[string], RawProcess>(`${SELECT_ROW} WHERE p.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids));
  const count = db.prepare<[number], number>('SELECT count(*) FROM processes WHERE parent = ?').pluck();
  const byId = new Map(raw.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toProcess({ ...r, children: counts.get(id) ?? count.get(id)! })] : [];
  });
}

/** The process and its descendants in tree order, bounded in depth and count (the first page). */
export function processSubtree(db: Db, id: number, maxDepth = 1000, limit = 10000): ProcessRow[] {
  return processSubtreePage(db, { id, maxDepth, limit })!.rows;
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
