import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BatchParser, type ParsedBatch, type ParserOptions } from './batch';

export interface ParserEvents {
  onBatch(b: ParsedBatch): void;
  onEnded(r: { cutBytes: number; nextLine: number }): void;
  onError(e: Error): void;
}

/** Splits and validates lines, in this thread or in a worker; results arrive through ParserEvents. */
export interface LineParser {
  push(chunk: Buffer): void;
  end(cut: boolean): void;
  /** Chunks given but not yet answered (0 for the inline parser). */
  readonly inFlight: number;
  close(): void;
}

class InlineParser implements LineParser {
  readonly inFlight = 0;
  private readonly parser: BatchParser;
  constructor(
    opts: ParserOptions,
    private readonly ev: ParserEvents,
  ) {
    this.parser = new BatchParser(opts);
  }
  push(chunk: Buffer): void {
    this.parser.push(chunk);
    this.ev.onBatch(this.parser.takeBatch());
  }
  end(cut: boolean): void {
    const r = this.parser.end(cut);
    this.ev.onBatch(this.parser.takeBatch());
    this.ev.onEnded(r);
  }
  close(): void {}
}

class WorkerParser implements LineParser {
  inFlight = 0;
  private readonly worker: Worker;
  constructor(
    file: WorkerFile,
    opts: ParserOptions,
    private readonly ev: ParserEvents,
  ) {
    this.worker = file.eval
      ? new Worker(file.eval, { eval: true, workerData: opts })
      : new Worker(file.path, { workerData: opts });
    this.worker.on('message', (m: { batch: ParsedBatch; ended?: { cutBytes: number; nextLine: number } }) => {
      if (!m.ended) this.inFlight--;
      this.ev.onBatch(m.batch);
      if (m.ended) this.ev.onEnded(m.ended);
    });
    this.worker.on('error', (e) => this.ev.onError(e));
  }
  push(chunk: Buffer): void {
    // a copy the worker owns: stream chunks are often views into shared pools
    const copy = new Uint8Array(chunk);
    this.inFlight++;
    this.worker.postMessage({ chunk: copy }, [copy.buffer]);
  }
  end(cut: boolean): void {
    this.worker.postMessage({ end: true, cut });
  }
  close(): void {
    void this.worker.terminate();
  }
}

interface WorkerFile {
  path: string;
  /** Bootstrap code when the entry is TypeScript (running from source: tests, tsx). */
  eval?: string;
}

/**
 * The worker's entry: the compiled one beside the bundle (parse-worker.cjs), or the TypeScript
 * source through tsx's register hook. Null when neither is available.
 */
function workerFile(): WorkerFile | null {
  const bundled = join(__dirname, 'parse-worker.cjs');
  if (existsSync(bundled)) return { path: bundled };
  const source = join(__dirname, 'parse-worker.ts');
  if (!existsSync(source)) return null;
  try {
    const api = require.resolve('tsx/cjs/api');
    return { path: source, eval: `require(${JSON.stringify(api)}).register(); require(${JSON.stringify(source)});` };
  } catch {
    return null;
  }
}

/**
 * Parsing in a worker thread keeps the writing thread (which also answers queries) on inserts:
 * measured in bench/ingest.mts. Without the worker's file, parsing stays in this thread.
 */
export function createParser(opts: ParserOptions, ev: ParserEvents, preferWorker: boolean): LineParser {
  const file = preferWorker ? workerFile() : null;
  if (file) {
    try {
      return new WorkerParser(file, opts, ev);
    } catch {
      // fall through to the inline parser
    }
  }
  return new InlineParser(opts, ev);
}
