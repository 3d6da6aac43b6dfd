import { statSync } from 'node:fs';
import { openDatabase, type Db } from './db';
import { SCHEMA_VERSION } from './migrations';
import { Checkpointer } from './checkpointer';
import { dropDeferrableIndexes, missingIndexes } from './indexes';

/** A bulk import smaller than this keeps the indexes up to date as it goes. */
const BULK_MIN_EVENTS = 50_000;

/** Held by a bulk import; the last one released builds the indexes that were left out. */
export interface BulkLease {
  /**
   * Resolves once the indexes are built again (at once when other bulk imports still run).
   * `onIndex` is told (name '', 0, total) when the build starts, then after each index.
   */
  release(onIndex?: (name: string, done: number, total: number) => void): Promise<void>;
}

export interface CaptureProgress {
  lines: number;
  events: number;
  badLines: number;
  unknownKinds: number;
  drops: number;
}

export interface BadLineRecord {
  line: number;
  field: string;
  message: string;
  excerpt: string;
}

export interface CaptureStart {
  id: number;
  /** Lines already committed by an earlier import of the same capture (0 when new). */
  linesDone: number;
  events: number;
  badLines: number;
  unknownKinds: number;
  state: string;
}

/**
 * One investigation database: the connection plus the bookkeeping of captures. Queries live in
 * ./queries, row construction in ./writer; this class owns the connection's lifetime.
 */
export class Store {
  readonly db: Db;
  private closed = false;
  private readonly st;
  private checkpointer: Checkpointer | null = null;
  private bulkLeases = 0;
  /** Set while the left-out indexes are being built: writes wait for it (see whenWritable). */
  private indexing: Promise<void> | null = null;

  constructor(readonly path: string) {
    this.db = openDatabase(path);
    if (this.db.pragma('journal_mode', { simple: true }) === 'wal') {
      this.checkpointer = Checkpointer.start(path, () => {
        // without the background checkpoints the connection checkpoints itself again
        this.checkpointer = null;
        if (!this.closed) this.db.pragma('wal_autocheckpoint = 4000');
      });
      if (this.checkpointer) this.db.pragma('wal_autocheckpoint = 0');
    }
    // a bulk import killed before its end left indexes out: build them again
    if (missingIndexes(this.db).length > 0) void this.buildMissingIndexes();
    this.st = {
      captureByIdent: this.db.prepare<[string], { id: number; lines_done: number; events: number; bad_lines: number; unknown_kinds: number; state: string }>(
        'SELECT id, lines_done, events, bad_lines, unknown_kinds, state FROM captures WHERE ident = ?',
      ),
      insertCapture: this.db.prepare('INSERT INTO captures (ident, source, path, header, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
      reopenCapture: this.db.prepare("UPDATE captures SET state = 'importing', path = COALESCE(?, path), updated_at = ? WHERE id = ?"),
      progress: this.db.prepare(
        'UPDATE captures SET lines_done = ?, bytes_done = ?, events = ?, bad_lines = ?, unknown_kinds = ?, drops = ?, updated_at = ? WHERE id = ?',
      ),
      finish: this.db.prepare(
        `UPDATE captures SET state = ?, stopped_reason = ?, finished_at = ?, lines_done = ?, bytes_done = ?, events = ?,
         bad_lines = ?, unknown_kinds = ?, drops = ?, node = COALESCE(?, node) WHERE id = ?`,
      ),
      badLine: this.db.prepare('INSERT INTO bad_lines (capture, line, field, message, excerpt) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  /**
   * Starts a bulk import of about `expected` events: when it is large against what the database
   * holds, the deferrable event indexes are dropped now and built once by the last lease's
   * release. Returns null when incremental indexing is the better deal (a small import into a
   * large database). Queries stay correct meanwhile, filters by kind/process/container slower.
   */
  beginBulk(expected: number): BulkLease | null {
    if (this.bulkLeases === 0) {
      if (this.indexing || expected < BULK_MIN_EVENTS || expected < this.eventCount()) return null;
      dropDeferrableIndexes(this.db);
    }
    this.bulkLeases++;
    let released = false;
    return {
      release: (onIndex) => {
        if (released) return this.whenWritable();
        released = true;
        if (--this.bulkLeases > 0) return Promise.resolve();
        return this.buildMissingIndexes(onIndex);
      },
    };
  }

  /** Resolves when no index build holds the write lock (at once almost always). */
  whenWritable(): Promise<void> {
    return this.indexing ?? Promise.resolve();
  }

  /** True while left-out indexes are being built. */
  get indexingNow(): boolean {
    return this.indexing !== null;
  }

  /** Builds the deferrable indexes the database lacks, in the background when it can. */
  private buildMissingIndexes(onIndex?: (name: string, done: number, total: number) => void): Promise<void> {
    if (this.indexing) return this.indexing;
    const missing = missingIndexes(this.db);
    if (missing.length === 0 || this.closed) return Promise.resolve();
    let done = 0;
    const built = (name: string) => onIndex?.(name, ++done, missing.length);
    onIndex?.('', 0, missing.length);
    const inline = () => {
      for (const i of missing) {
        this.db.exec(i.sql);
        built(i.name);
      }
    };
    const work = this.checkpointer ? this.checkpointer.buildIndexes(missing, built).catch(() => inline()) : Promise.resolve().then(inline);
    this.indexing = work.finally(() => {
      this.indexing = null;
    });
    return this.indexing;
  }

  private eventCount(): number {
    const r = this.db.prepare<[], { n: number | null }>('SELECT sum(events) n FROM kind_counts').get();
    return r?.n ?? 0;
  }

  get schemaVersion(): number {
    return SCHEMA_VERSION;
  }

  /** The capture already imported under this identity, if any. */
  captureByIdent(ident: string): CaptureStart | null {
    const r = this.st.captureByIdent.get(ident);
    return r
      ? { id: r.id, linesDone: r.lines_done, events: r.events, badLines: r.bad_lines, unknownKinds: r.unknown_kinds, state: r.state }
      : null;
  }

  /** Registers a capture (or reopens an interrupted one with the same identity to resume it). */
  beginCapture(c: { ident: string | null; source: string; path: string | null; header?: unknown }): CaptureStart {
    if (c.ident) {
      const known = this.captureByIdent(c.ident);
      if (known) {
        this.st.reopenCapture.run(c.path, Date.now(), known.id);
        return known;
      }
    }
    const header = c.header === undefined ? null : JSON.stringify(c.header);
    const r = this.st.insertCapture.run(c.ident, c.source, c.path, header, Date.now(), Date.now());
    return { id: Number(r.lastInsertRowid), linesDone: 0, events: 0, badLines: 0, unknownKinds: 0, state: 'importing' };
  }

  /** Called inside the batch transaction: progress commits with the events it describes. */
  progressCapture(id: number, p: CaptureProgress, bytes: number): void {
    this.st.progress.run(p.lines, bytes, p.events, p.badLines, p.unknownKinds, p.drops, Date.now(), id);
  }

  recordBadLines(id: number, lines: readonly BadLineRecord[]): void {
    for (const b of lines) this.st.badLine.run(id, b.line, b.field, b.message, b.excerpt);
  }

  finishCapture(id: number, state: string, reason: string | null, p: CaptureProgress, bytes: number, node: number | null): void {
    this.st.finish.run(state, reason, Date.now(), p.lines, bytes, p.events, p.badLines, p.unknownKinds, p.drops, node, id);
  }

  sizeBytes(): number {
    let n = 0;
    for (const suffix of ['', '-wal']) {
      try {
        n += statSync(this.path + suffix).size;
      } catch {
        // no WAL file right now
      }
    }
    return n;
  }

  /** Idempotent. The background checkpointer stops on its own thread; it never holds the file open for long. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.checkpointer?.stop();
    this.checkpointer = null;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // a reader may hold the WAL; the next open checkpoints it
    }
    this.db.close();
  }
}

export function openStore(path: string): Store {
  return new Store(path);
}
