import { Writable } from 'node:stream';
import type { CollectorEvent } from '../../../shared/events';
import type { Store } from '../store/store';
import { EventWriter } from '../store/writer';
import { eventAt, tsAt, type ParsedBatch } from './batch';
import { createParser, type LineParser } from './parser';
import { Pacer } from './pacer';

/** How many bad lines are kept with their number and message; the rest are only counted. */
const MAX_RECORDED_BAD_LINES = 1000;
/**
 * Chunks handed to the parser and parsed batches waiting for the writer before `write` waits:
 * enough to keep both threads busy through a commit, few enough to bound memory whatever the
 * source. With 64 KiB chunks, 32 measured fastest per MiB of peak memory (bench/ingest.mts: 8 in
 * flight left the parser idle during commits; 256 KiB chunks added ~30 MiB for no gain).
 */
const MAX_CHUNKS_IN_FLIGHT = 32;
const MAX_QUEUED_BATCHES = 32;

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
  /** Parse in a worker thread (default true; falls back to this thread when unavailable). */
  worker?: boolean;
  /** Called after each commit, on the event loop (not inside the transaction). */
  onCommit?: (stats: IngestStats) => void;
}

/**
 * A writable byte stream of collector JSON lines into the store. Back-pressure is the stream's:
 * `write()` returns false while batches wait to be committed, and `pipe()` waits for 'drain'.
 * Lines are validated (in a worker thread); bad ones are counted and reported with their number,
 * the rest is kept. Every committed batch also records how far the source was consumed, so an
 * import interrupted by a killed process resumes exactly after what was committed.
 */
export class Ingest extends Writable {
  readonly stats: IngestStats;
  readonly captureId: number;
  /** Bytes of the source consumed (set by the reader, e.g. compressed bytes of a capture). */
  sourceBytes = 0;
  /** How the capture row ended (set once the ingest is final). */
  captureState: IngestOutcome | null = null;
  captureReason: string | null = null;
  private readonly writer: EventWriter;
  private readonly parser: LineParser;
  private readonly queue: ParsedBatch[] = [];
  /** Position in queue[0]: next event, next bad line. */
  private at = 0;
  private badAt = 0;
  private pending: Array<{ ev: CollectorEvent; raw: string }> = [];
  private pendingBad: BadLine[] = [];
  private committedLine = 0;
  private readonly batchLines: number;
  private readonly flushMs: number;
  private readonly pacer: Pacer | null;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private outcome: { state: IngestOutcome; reason: string | null } | null = null;
  private finalized = false;
  private pumping = false;
  private waitingWrite: ((e?: Error | null) => void) | null = null;
  private waitingFinal: ((e?: Error | null) => void) | null = null;
  private ended: { cutBytes: number; nextLine: number } | null = null;

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
    this.committedLine = cap.linesDone;
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
    this.parser = createParser(
      { firstLine: opts.firstLine ?? 1, skipHeader: opts.skipHeader ?? false, skipThrough: cap.linesDone },
      {
        onBatch: (b) => {
          this.queue.push(b);
          this.kick();
          this.release();
        },
        onEnded: (r) => {
          this.ended = r;
          this.kick();
        },
        onError: (e) => this.destroy(e),
      },
      opts.worker ?? true,
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
    this.waitingWrite = cb;
    try {
      this.parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    } catch (e) {
      this.waitingWrite = null;
      return cb(e as Error);
    }
    this.release();
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.waitingFinal = cb;
    this.parser.end(this.outcome?.state === 'truncated');
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.parser.close();
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

  /** Lets the stream send more while the parser and the queue have room. */
  private release(): void {
    if (!this.waitingWrite) return;
    // the inline parser has nothing in flight: its batches must be drained first
    const limit = this.parser.inFlight === 0 && !this.pumping ? 1 : MAX_QUEUED_BATCHES;
    if (this.queue.length >= limit || this.parser.inFlight >= MAX_CHUNKS_IN_FLIGHT) return;
    const cb = this.waitingWrite;
    this.waitingWrite = null;
    cb();
  }

  private kick(): void {
    if (this.pumping || this.destroyed) return;
    this.pumping = true;
    this.pump();
  }

  /** Takes parsed events into batches, committing (and yielding) each time one is full. */
  private pump(): void {
    if (this.destroyed) return;
    if (this.store.indexingNow) {
      // a bulk import's index build holds the write lock: wait for it (the queue applies back-pressure)
      void this.store.whenWritable().then(() => {
        this.pumping = false;
        this.kick();
      });
      return;
    }
    try {
      while (this.queue.length > 0) {
        const b = this.queue[0]!;
        if (this.at < b.raw.length) {
          const line = b.line[this.at]!;
          if (line > 0 && this.pacer) {
            const wait = this.pacer.delayFor(tsAt(b, this.at));
            if (wait > 0) {
              this.commit();
              setTimeout(() => this.pump(), wait);
              return;
            }
          }
          this.takeBadBefore(b, Math.abs(line));
          this.take(b, this.at++);
          if (this.pending.length >= this.batchLines) {
            this.commit();
            this.release();
            setImmediate(() => this.pump());
            return;
          }
          continue;
        }
        this.takeBadBefore(b, Infinity);
        this.stats.lines = Math.max(this.stats.lines, b.lastLine);
        this.queue.shift();
        this.at = 0;
        this.badAt = 0;
      }
    } catch (e) {
      this.pumping = false;
      this.destroy(e as Error);
      return;
    }
    this.pumping = false;
    this.release();
    if (this.ended && this.waitingFinal) this.finish();
    else this.armTimer();
  }

  private finish(): void {
    const cb = this.waitingFinal!;
    this.waitingFinal = null;
    try {
      if (this.outcome?.state === 'truncated' && this.ended!.cutBytes > 0) {
        this.outcome.reason = `${this.outcome.reason ?? 'cut'}; line ${this.ended!.nextLine} was cut after ${this.ended!.cutBytes} bytes`;
      }
      this.commit();
      this.finalize(this.outcome?.state ?? 'complete', this.outcome?.reason ?? null);
      this.parser.close();
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  private take(b: ParsedBatch, i: number): void {
    const line = b.line[i]!;
    const ev = eventAt(b, i);
    if (line < 0) {
      // already committed by an earlier, interrupted import; only the node anchor matters
      this.writer.adoptNode(ev, b.raw[i]!);
      return;
    }
    this.stats.lines = line;
    this.pending.push({ ev, raw: b.raw[i]! });
  }

  private takeBadBefore(b: ParsedBatch, line: number): void {
    while (this.badAt < b.bad.length && b.bad[this.badAt]!.line < line) {
      const bad = b.bad[this.badAt++]!;
      this.stats.lines = Math.max(this.stats.lines, bad.line);
      if (bad.kept) this.stats.unknownKinds++;
      else this.stats.badLines++;
      const rec: BadLine = { line: bad.line, field: bad.field, message: bad.message, excerpt: bad.excerpt };
      if (this.stats.firstBadLines.length < 100) this.stats.firstBadLines.push(rec);
      if (this.stats.badLines + this.stats.unknownKinds <= MAX_RECORDED_BAD_LINES) this.pendingBad.push(rec);
    }
  }

  private armTimer(): void {
    if (this.timer || (this.pending.length === 0 && this.pendingBad.length === 0 && this.stats.lines === this.committedLine)) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.store.indexingNow) return this.armTimer();
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
    if (batch.length === 0 && bad.length === 0 && this.stats.lines === this.committedLine) return;
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
    this.committedLine = this.stats.lines;
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
    this.store.finishCapture(this.captureId, state, reason, this.stats, this.sourceBytes, this.writer.nodeId || null);
  }
}

export function createIngest(store: Store, opts: IngestOptions): Ingest {
  return new Ingest(store, opts);
}
