/** The collector's stderr for one session: a bounded file plus the last lines for the UI. */
import { createWriteStream, type WriteStream } from 'node:fs';

const MAX_LOG_BYTES = 16 * 1024 * 1024;
const TAIL_LINES = 50;

export class SessionLog {
  readonly tail: string[] = [];
  private written = 0;
  private partial = '';
  private readonly file: WriteStream | null;

  constructor(readonly path: string | null) {
    this.file = path ? createWriteStream(path, { flags: 'a', mode: 0o600 }) : null;
  }

  /** A line from Tracehound itself (state changes), marked so it reads apart from the collector's. */
  note(text: string): void {
    this.write(Buffer.from(`[tracehound ${new Date().toISOString()}] ${text}\n`));
  }

  write(chunk: Buffer): void {
    if (this.file && this.written < MAX_LOG_BYTES) {
      this.file.write(chunk.subarray(0, MAX_LOG_BYTES - this.written));
      this.written += chunk.length;
    }
    const parts = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = parts.pop()!.slice(-4096);
    for (const p of parts) if (p.trim()) this.tail.push(p.slice(0, 1000));
    if (this.tail.length > TAIL_LINES) this.tail.splice(0, this.tail.length - TAIL_LINES);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.file ? this.file.end(() => resolve()) : resolve()));
  }
}
