import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Store } from '../store/store';
import { Ingest, type IngestOptions, type IngestOutcome, type IngestStats } from '../ingest/ingest';
import { inspectCapture, type CaptureInfo } from './reader';

export interface ImportProgress {
  /** Reading the file, or building the indexes a bulk import left out (the last step). */
  phase: 'reading' | 'indexing';
  /** Bytes of the file read (compressed). */
  bytes: number;
  totalBytes: number;
  events: number;
  /** Events per second so far. */
  rate: number;
  etaSeconds: number | null;
  /** While indexing: indexes built so far, of how many. */
  indexes?: { done: number; total: number };
}

export interface ImportOptions {
  signal?: AbortSignal;
  /** Replay at this multiple of the original pace; absent = as fast as possible. */
  speed?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Called after each committed batch (e.g. to push "events ingested"). */
  onCommit?: (stats: IngestStats) => void;
  batchLines?: number;
  /** Parse in a worker thread (default) or in this thread. */
  worker?: boolean;
  /** Leave the secondary event indexes out and build them at the end when the file is large (default true). */
  bulk?: boolean;
}

/** Bytes per event of the collector's lines (measured on real recordings), to judge a file's size. */
const BYTES_PER_EVENT = { gzip: 18, none: 290 } as const;

export interface ImportResult {
  path: string;
  captureId: number;
  /** True when this capture was already fully imported into this database. */
  skipped: boolean;
  state: IngestOutcome;
  /** Why the import stopped before the end of the data (cut, damaged, cancelled). */
  reason: string | null;
  stats: IngestStats;
  info: CaptureInfo;
}

/**
 * Streams a capture file (gzip or plain JSON lines, with or without header) into the store.
 * Memory stays bounded whatever the file size: the file is read in chunks and the ingest
 * applies back-pressure. A cut or damaged file imports up to the damage and says where.
 * A capture already imported is skipped; one interrupted earlier resumes after its last commit.
 */
export async function importCapture(store: Store, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const info = await inspectCapture(path);
  const known = store.captureByIdent(info.ident);
  // a capture written by a live session into this same database was ingested as it arrived
  const live = info.header ? store.captureByIdent(info.header.id) : null;
  if ((known && known.state === 'complete') || live) {
    const row = (known && known.state === 'complete' ? known : live)!;
    const stats: IngestStats = {
      lines: row.linesDone,
      events: row.events,
      badLines: row.badLines,
      unknownKinds: row.unknownKinds,
      processes: 0,
      containers: 0,
      drops: 0,
      firstBadLines: [],
      rate: 0,
    };
    const reason = row === live ? 'ingested live into this database while it was recorded' : null;
    return { path, captureId: row.id, skipped: true, state: 'complete', reason, stats, info };
  }
  await store.whenWritable();
  // as fast as possible, a large file: sorted indexes at the end cost less than keeping them up to date
  const expected = Math.round(info.size / BYTES_PER_EVENT[info.compression === 'gzip' ? 'gzip' : 'none']);
  const lease = !opts.speed && opts.bulk !== false ? store.beginBulk(expected) : null;
  const ingestOptions: IngestOptions = {
    source: 'capture',
    ident: info.ident,
    path,
    header: info.header ?? undefined,
    skipHeader: info.header !== null,
    ...(opts.speed ? { speed: opts.speed } : {}),
    // the ingest's own transaction size (2,000 events) even in bulk: 4,000 measured no faster and
    // doubled the longest stalls of the thread that answers the console (p99 34–38 → 62–67 ms)
    ...(opts.batchLines ? { batchLines: opts.batchLines } : {}),
    ...(opts.worker !== undefined ? { worker: opts.worker } : {}),
    onCommit: (s) => {
      report();
      opts.onCommit?.(s);
    },
  };
  let ingest: Ingest;
  try {
    ingest = new Ingest(store, ingestOptions);
  } catch (e) {
    await lease?.release();
    throw e;
  }
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const data: Readable = info.compression === 'gzip' ? file.pipe(createGunzip({ chunkSize: 64 * 1024 })) : file;
  const started = Date.now();
  /** Progress while reading, or (given `indexes`) while the left-out indexes are built. */
  const report = (indexes?: { done: number; total: number }) => {
    ingest.sourceBytes = file.bytesRead;
    if (!opts.onProgress) return;
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    const byteRate = file.bytesRead / secs;
    opts.onProgress({
      phase: indexes ? 'indexing' : 'reading',
      bytes: file.bytesRead,
      totalBytes: info.size,
      events: ingest.stats.events,
      rate: ingest.stats.events / secs,
      etaSeconds: !indexes && byteRate > 0 ? Math.max(0, (info.size - file.bytesRead) / byteRate) : null,
      ...(indexes ? { indexes } : {}),
    });
  };

  let state: IngestOutcome = 'complete';
  let reason: string | null = null;
  await new Promise<void>((resolve) => {
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const stopReading = () => {
      file.destroy();
      if (data !== file) data.destroy();
    };
    const onAbort = () => {
      state = 'cancelled';
      reason = `cancelled after line ${ingest.stats.lines}`;
      stopReading();
      ingest.markStopped('cancelled', reason);
      ingest.destroy();
    };
    if (opts.signal?.aborted) return onAbort(), settle();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    ingest.on('close', settle);
    ingest.on('error', (e) => {
      state = 'failed';
      reason = e.message;
      stopReading();
    });
    data.pipe(ingest);
    const onReadError = (e: NodeJS.ErrnoException) => {
      if (state === 'cancelled') return;
      data.unpipe(ingest);
      state = 'truncated';
      const where = `compressed byte ${file.bytesRead} of ${info.size}`;
      reason =
        e.code === 'Z_BUF_ERROR'
          ? `the file ends in the middle of its data (cut at ${where}); imported up to the cut`
          : `damaged data at ${where}: ${e.message}; imported up to the damage`;
      ingest.markStopped('truncated', reason);
      ingest.end();
    };
    data.on('error', onReadError);
    if (data !== file) file.on('error', onReadError);
  });
  ingest.sourceBytes = file.bytesRead;
  report();
  if (lease) {
    // the import is only done once the indexes it left out are back (a cancel keeps them too)
    await lease.release((_name, done, total) => report({ done, total }));
  }
  const finalState = (ingest.captureState ?? state) as IngestOutcome;
  return { path, captureId: ingest.captureId, skipped: false, state: finalState, reason: ingest.captureReason ?? reason, stats: ingest.stats, info };
}
