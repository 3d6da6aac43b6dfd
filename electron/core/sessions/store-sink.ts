/**
 * A session's stream into the investigation: every chunk goes both to the capture file (raw, as
 * received) and to ingest (validated into SQLite). Back-pressure from either side slows the SSH
 * channel, so the collector's ring buffer — which counts its drops — absorbs bursts rather than
 * memory here. Whatever the ending, what arrived is committed and the capture file is closed.
 */
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { join } from 'node:path';
import { CaptureWriter } from '../capture/writer';
import { Ingest, type IngestStats } from '../ingest/ingest';
import type { Store } from '../store/store';
import type { SessionSink, SinkMeta, SinkOutcome } from './sink';

export interface StoreSinkOptions {
  store: Store;
  /** Directory for capture files; null keeps no capture file. */
  captureDir: string | null;
  /** An exact capture file for the first segment (later segments go to captureDir). */
  captureFile?: string;
  /** Called after each commit (for the UI's ingest rate). */
  onCommit?: (stats: IngestStats) => void;
  /** Longest time a line waits before being committed. */
  flushMs?: number;
  /** Events per transaction. */
  batchLines?: number;
}

export async function storeSink(meta: SinkMeta, o: StoreSinkOptions): Promise<SessionSink> {
  const capturePath =
    o.captureFile && meta.segment === 1
      ? o.captureFile
      : o.captureDir
        ? join(o.captureDir, `${meta.investigation}-${meta.segment}.thc.gz`)
        : null;
  const capture = capturePath
    ? await CaptureWriter.create(capturePath, { node: meta.node, source: 'live', header: { labels: { investigation: meta.investigation, segment: String(meta.segment), session: meta.session } } })
    : null;
  // registering the capture is a write: not while a bulk import's indexes are being built
  await o.store.whenWritable();
  const ingest = new Ingest(o.store, {
    source: 'live',
    ident: capture?.id ?? meta.session,
    path: capturePath,
    flushMs: o.flushMs ?? 50,
    batchLines: o.batchLines,
    onCommit: o.onCommit,
  });
  ingest.on('error', () => undefined);
  const input = new Writable({
    highWaterMark: 256 * 1024,
    write(chunk: Buffer, _enc, cb) {
      const waits: Promise<unknown>[] = [];
      if (capture && !capture.write(chunk)) waits.push(capture.drained());
      if (!ingest.write(chunk)) waits.push(once(ingest, 'drain'));
      if (waits.length === 0) return cb();
      Promise.all(waits).then(() => cb(), cb);
    },
  });
  // a failed commit surfaces in end(); the stream itself must not throw on the event loop
  input.on('error', () => undefined);
  let ended: Promise<void> | null = null;
  return {
    input,
    capturePath,
    end: (outcome: SinkOutcome, reason: string | null) =>
      (ended ??= (async () => {
        if (!input.writableFinished) await new Promise<void>((r) => input.end(r));
        ingest.markStopped(outcome === 'complete' ? 'complete' : outcome === 'interrupted' ? 'truncated' : 'failed', reason);
        ingest.end();
        try {
          await ingest.finished();
        } finally {
          await capture?.close();
        }
      })()),
  };
}
