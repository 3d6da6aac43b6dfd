import type { Db } from './db';

/**
 * Secondary indexes of the events table that a bulk import leaves out and builds once at the end:
 * keeping them up to date row by row costs ~1 µs per index per event, sorting them in one pass
 * ~0.4 µs (bench/ingest.mts). The time index stays: the console pages by time while it imports.
 * Names and definitions are those of the migrations (0001; the container index from 0003).
 */
export const DEFERRABLE_INDEXES: ReadonlyArray<{ name: string; sql: string }> = [
  { name: 'events_kind_t', sql: 'CREATE INDEX IF NOT EXISTS events_kind_t ON events(kind, t)' },
  { name: 'events_proc_t', sql: 'CREATE INDEX IF NOT EXISTS events_proc_t ON events(proc, t)' },
  { name: 'events_container_t', sql: 'CREATE INDEX IF NOT EXISTS events_container_t ON events(container, t) WHERE container IS NOT NULL' },
];

/** Deferrable indexes the database lacks (left out by a bulk import that did not finish). */
export function missingIndexes(db: Db): Array<{ name: string; sql: string }> {
  const have = new Set(
    db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").all().map((r) => r.name),
  );
  return DEFERRABLE_INDEXES.filter((i) => !have.has(i.name));
}

export function dropDeferrableIndexes(db: Db): void {
  db.transaction(() => {
    for (const i of DEFERRABLE_INDEXES) db.exec(`DROP INDEX IF EXISTS ${i.name}`);
  })();
}
