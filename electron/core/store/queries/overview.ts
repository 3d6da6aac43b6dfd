import type { BadLineRow, CaptureRow, DatabaseInfo, Overview } from '../../../../shared/api/store';
import type { Store } from '../store';

/** An import that has not committed for this long was left behind by a process that ended. */
const STALE_MS = 60_000;

export function overview(store: Store): Overview {
  const db = store.db;
  const kinds: Record<string, number> = {};
  const events = (db.prepare('SELECT coalesce(sum(events), 0) FROM kind_counts').pluck().get() as number) ?? 0;
  // bounded: a hostile capture can invent any number of kinds
  for (const r of db.prepare<[], { kind: string; events: number }>('SELECT kind, events FROM kind_counts ORDER BY events DESC LIMIT 100').all()) {
    kinds[r.kind] = r.events;
  }
  const one = (sql: string): number => (db.prepare(sql).pluck().get() as number | null) ?? 0;
  // two subqueries: min and max in one SELECT would scan the whole index
  const span = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT (SELECT min(t) FROM events) lo, (SELECT max(t) FROM events) hi').get();
  return {
    events,
    processes: one('SELECT count(*) FROM processes'),
    containers: one('SELECT count(*) FROM containers'),
    connections: kinds.net ?? 0,
    files: kinds.open ?? 0,
    alerts: one('SELECT count(*) FROM alerts'),
    drops: one('SELECT coalesce(sum(drops), 0) FROM captures'),
    firstTs: span?.lo ?? null,
    lastTs: span?.hi ?? null,
    nodes: db.prepare<[], { hostname: string }>("SELECT hostname FROM nodes WHERE boot_id != '(unknown node)' ORDER BY id").all().map((r) => r.hostname),
    kinds,
    importing: one(`SELECT count(*) FROM captures WHERE state = 'importing' AND updated_at > ${Date.now() - STALE_MS}`),
  };
}

interface RawCapture {
  id: number;
  source: string;
  path: string | null;
  hostname: string | null;
  state: CaptureRow['state'];
  stopped_reason: string | null;
  updated_at: number | null;
  lines_done: number;
  events: number;
  bad_lines: number;
  unknown_kinds: number;
  drops: number;
  started_at: number;
  finished_at: number | null;
}

export function captures(store: Store): CaptureRow[] {
  return store.db
    .prepare<[], RawCapture>(
      `SELECT c.id, c.source, c.path, n.hostname, c.state, c.stopped_reason, c.lines_done, c.events, c.bad_lines,
         c.unknown_kinds, c.drops, c.started_at, c.finished_at, c.updated_at
       FROM captures c LEFT JOIN nodes n ON n.id = c.node ORDER BY c.id`,
    )
    .all()
    .map((r) => {
      const stale = r.state === 'importing' && (r.updated_at ?? 0) < Date.now() - STALE_MS;
      return {
        id: r.id,
        source: r.source,
        path: r.path,
        node: r.hostname,
        state: stale ? ('interrupted' as const) : r.state,
        reason: stale
          ? `interrupted after line ${r.lines_done}: the importing process ended; import the file again to resume`
          : r.stopped_reason,
        lines: r.lines_done,
        events: r.events,
        badLines: r.bad_lines,
        unknownKinds: r.unknown_kinds,
        drops: r.drops,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
      };
    });
}

export function badLines(store: Store, limit = 200): BadLineRow[] {
  return store.db
    .prepare<[number], BadLineRow>('SELECT capture, line, field, message, excerpt FROM bad_lines ORDER BY capture, line LIMIT ?')
    .all(limit);
}

export function databaseInfo(store: Store): DatabaseInfo {
  const db = store.db;
  return {
    path: store.path,
    sizeBytes: store.sizeBytes(),
    schemaVersion: store.schemaVersion,
    events: (db.prepare('SELECT coalesce(sum(events), 0) FROM kind_counts').pluck().get() as number) ?? 0,
    captures: captures(store),
    nodes: db
      .prepare<[], { hostname: string; boot_id: string; kernel: string | null; collector: string | null }>(
        'SELECT hostname, boot_id, kernel, collector FROM nodes ORDER BY id',
      )
      .all()
      .map((n) => ({ hostname: n.hostname, bootId: n.boot_id, kernel: n.kernel, collector: n.collector })),
    badLines: badLines(store),
  };
}
