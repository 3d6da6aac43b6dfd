/** Where a session's collector output goes: a byte stream in, a final outcome when it ends. */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

export interface SinkMeta {
  session: string;
  investigation: string;
  segment: number;
  node: string;
}

export type SinkOutcome = 'complete' | 'interrupted' | 'failed';

export interface SessionSink {
  /** Receives the collector's stdout bytes (JSON lines); back-pressure is honoured. */
  readonly input: Writable;
  /** Where the raw stream is kept, if it is. */
  readonly capturePath: string | null;
  /** Flushes and records how the stream ended; everything received before stays. */
  end(outcome: SinkOutcome, reason: string | null): Promise<void>;
}

export type SinkFactory = (meta: SinkMeta) => SessionSink | Promise<SessionSink>;

/** Keeps the raw JSON lines in a file (used when no store is attached). */
export function fileSink(path: string): SessionSink {
  const input = createWriteStream(path, { mode: 0o600 });
  return {
    input,
    capturePath: path,
    end: () =>
      new Promise<void>((resolve) => {
        if (input.writableFinished) return resolve();
        input.end(() => resolve());
      }),
  };
}
