import { Writable } from 'node:stream';
import { parseLine, type CollectorEvent } from '../../../shared/events';
import type { Store } from '../store/store';
import { EventWriter } from '../store/writer';
import { LineSplitter } from './lines';
import { Pacer } from './pacer';

/** How many bad lines are kept with their number and message; the rest are only counted. */
const MAX_RECORDED_BAD_LINES = 1000;
const EXCERPT_CHARS = 200;

export interface BadLine {
  line: number;
  field: string;
  message: string;
  excerpt: string;
}

export interface IngestStats {
  /** Number of the last line consumed (header included). */
  lines: number;
  events: number;
  badLines: number;
  /** Lines of a kind this version does not know: kept as events, and reported. */
  unknownKinds: number;
  processes: number;
  containers: number;
  drops: number;
  /** The first bad lines, in order (bounded). */
  firstBadLines: BadLine[];
  /** Events per second over the whole ingest. */
  rate: number;
}

export type IngestOutcome = 'complete' | 'truncated' | 'cancelled' | 'failed';

export interface IngestOptions {
  /** Where the lines come from, for the captures table: `capture`, `live`, `stdin`. */
  source: string;
  /** Identity of a capture file (header id or content hash): a second import resumes or is skipped. */
  ident?: string | null;
  path?: string | null;
  /** The capture header, stored as is. */
  header?: unknown;
  /** Line 1 is a capture header (stored with the capture, not as an event). */
  skipHeader?: boolean;
  /** Line number of the first line written (2 when a capture header was line 1). */
  firstLine?: number;
  /** Events per transaction; each commit is followed by a yield to the event loop. */
  batchLines?: number;
  /** Longest time a line waits before being committed (live streams show up promptly). */
  flushMs?: number;
  /** Replay at this multiple of the original speed (1 = real time); absent = as fast as possible. */
  speed?: number;
  /** Called after each commit, on the event loop (not inside the transaction). */
  onCommit?: (stats: IngestStats) => void;
}

/**
 * A writable byte stream of collector JSON lines into the store. Back-pressure is the stream's:
 * `write()` returns false while a batch is being committed, and `pipe()` waits for 'drain'.
 * Lines are validated; bad ones are counted and reported with their number, the rest is kept.
 * Every committed batch also records how far the source was consumed, so an import interrupted
 * by a killed process resumes exactly after what was committed.
 */
export class Ingest extends Writable {
  readonly stats: IngestStats;
  readonly captureId: number;
  /** Bytes of the source consumed (set by the reader, e.g. compressed bytes of a capture). */
  sourceBytes = 0;
  private readonly writer: EventWriter;
  private readonly splitter: LineSplitter;
  private readonly queue: Array<{ line: string; no: number }> = [];
  private pending: Array<{ ev: CollectorEvent; raw: string }> = [];
  private pendingBad: BadLine[] = [];
  private readonly skipThrough: number;
  private readonly batchLines: number;
  private readonly flushMs: number;
  private readonly pacer: Pacer | null;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private outcome: { state: IngestOutcome; reason: string | null } | null = null;
  private finalized = false;
  /** How the capture row ended (set once the ingest is final). */
  captureState: IngestOutcome | null = null;
  captureReason: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly opts: IngestOptions,
  ) {
    super({ highWaterMark: 256 * 1024 });
    const cap = store.beginCapture({
      ident: opts.ident ?? null,
      source: opts.source,
      path: opts.path ?? null,
      header: opts.header,
    });
    this.captureId = cap.id;
    this.skipThrough = cap.linesDone;
    this.stats = {
      lines: cap.linesDone,
      events: cap.events,
      badLines: cap.badLines,
      unknownKinds: cap.unknownKinds,
      processes: 0,
      containers: 0,
      drops: 0,
      firstBadLines: [],
      rate: 0,
    };
    this.writer = new EventWriter(store.db, cap.id);
    this.batchLines = opts.batchLines ?? 2000;
    this.flushMs = opts.flushMs ?? 100;
    this.pacer = opts.speed ? new Pacer(opts.speed) : null;
    this.splitter = new LineSplitter(
      (line, no) => this.queue.push({ line, no }),
      (no, bytes) => this.bad(no, '(line)', `line of ${bytes} bytes is longer than the limit`, ''),
      opts.firstLine ?? 1,
    );
  }

  /** Sets how the ingest ends when the stream finishes (a reader that hit a cut says so). */
  markStopped(state: IngestOutcome, reason: string | null): void {
    this.outcome = { state, reason };
  }

  /** Writes one line (without its newline) for sources that are already split. */
  writeLine(line: string): boolean {
    return this.write(line + '\n');
  }

  /** Resolves when everything written is committed and the capture row is final. */
  finished(): Promise<IngestStats> {
    return new Promise((resolve, reject) => {
      if (this.finalized) return resolve(this.stats);
      this.once('close', () => (this.errored ? reject(this.errored) : resolve(this.stats)));
    });
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    this.pump(cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (this.outcome?.state === 'truncated') {
      const cut = this.splitter.abandon();
      if (cut > 0) this.outcome.reason = `${this.outcome.reason ?? 'cut'}; line ${this.splitter.lineNo} was cut after ${cut} bytes`;
    } else {
      this.splitter.end();
    }
    this.pump((e) => {
      if (e) return cb(e);
      try {
        this.commit();
        this.finalize(this.outcome?.state ?? 'complete', this.outcome?.reason ?? null);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    });
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      if (!this.finalized) {
        // what was read before a cancel or an error is kept
        this.commit();
        this.finalize(err ? (this.outcome?.state ?? 'failed') : (this.outcome?.state ?? 'cancelled'), err?.message ?? this.outcome?.reason ?? null);
      }
    } catch (e) {
      return cb(err ?? (e as Error));
    }
    cb(err);
  }

  /** Validates queued lines into the pending batch, committing (and yielding) when it is full. */
  private pump(cb: (e?: Error | null) => void): void {
    try {
      while (this.queue.length > 0) {
        const item = this.queue[0]!;
        if (this.pacer && item.no > this.skipThrough) {
          const wait = this.pacer.delayFor(item.line);
          if (wait > 0) {
            this.commit();
            setTimeout(() => this.pump(cb), wait);
            return;
          }
        }
        this.queue.shift();
        this.take(item.line, item.no);
        if (this.pending.length >= this.batchLines) {
          this.commit();
          setImmediate(() => this.pump(cb));
          return;
        }
      }
    } catch (e) {
      return cb(e as Error);
    }
    this.armTimer();
    cb();
  }

  private take(line: string, no: number): void {
    this.stats.lines = no;
    if (no === 1 && this.opts.skipHeader) return;
    if (no <= this.skipThrough) {
      // already committed by an earlier, interrupted import; only the node anchor matters
      if (line.startsWith('{"kind":"hello"')) {
        const r = parseLine(line);
        if (r.ok) this.writer.adoptNode(r.event);
      }
      return;
    }
    const r = parseLine(line);
    if (r.ok) {
      this.pending.push({ ev: r.event, raw: line });
      return;
    }
    if (r.unknownKind) {
      const kind = (JSON.parse(line) as { kind: string }).kind.slice(0, 64);
      this.pending.push({ ev: { kind } as CollectorEvent, raw: line });
      this.stats.unknownKinds++;
      this.bad(no, 'kind', `${r.message} (kept as is)`, line);
      return;
    }
    this.bad(no, r.field, r.message, line);
  }

  private bad(line: number, field: string, message: string, raw: string): void {
    this.stats.lines = Math.max(this.stats.lines, line);
    if (!message.endsWith('(kept as is)')) this.stats.badLines++;
    const b: BadLine = { line, field, message, excerpt: raw.slice(0, EXCERPT_CHARS) };
    if (this.stats.firstBadLines.length < 100) this.stats.firstBadLines.push(b);
    if (this.stats.badLines + this.stats.unknownKinds <= MAX_RECORDED_BAD_LINES) this.pendingBad.push(b);
  }

  private armTimer(): void {
    if (this.timer || (this.pending.length === 0 && this.pendingBad.length === 0)) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.commit();
      } catch (e) {
        this.destroy(e as Error);
      }
    }, this.flushMs);
    this.timer.unref();
  }

  private commit(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.pending;
    const bad = this.pendingBad;
    this.pending = [];
    this.pendingBad = [];
    this.store.db.transaction(() => {
      for (const { ev, raw } of batch) this.writer.add(ev, raw);
      this.writer.flush();
      this.store.recordBadLines(this.captureId, bad);
      this.stats.events += batch.length;
      this.syncCounters();
      this.store.progressCapture(this.captureId, this.stats, this.sourceBytes);
    })();
    this.stats.rate = this.stats.events / Math.max(0.001, (Date.now() - this.started) / 1000);
    if (batch.length > 0 || bad.length > 0) this.opts.onCommit?.(this.stats);
  }

  private syncCounters(): void {
    const c = this.writer.counters;
    this.stats.processes = c.processes;
    this.stats.containers = c.containers;
    this.stats.drops = c.drops;
  }

  private finalize(state: IngestOutcome, reason: string | null): void {
    if (this.finalized) return;
    this.finalized = true;
    this.captureState = state;
    this.captureReason = reason;
    this.store.finishCapture(this.captureId, state, reason, this.stats, this.sourceBytes);
  }
}

export function createIngest(store: Store, opts: IngestOptions): Ingest {
  return new Ingest(store, opts);
}
