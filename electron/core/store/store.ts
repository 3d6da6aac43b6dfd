import { statSync } from 'node:fs';
import { openDatabase, type Db } from './db';
import { SCHEMA_VERSION } from './migrations';
import { Checkpointer } from './checkpointer';

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
