/**
 * Capture files are gzip, not zstd: Node 20 (our floor) streams gzip from its own zlib with no
 * native module, every responder's machine can read one with `zcat`, and a sync flush after
 * each second makes everything written so far decodable — a capture cut by a crash reads up to
 * the cut. zstd compresses collector JSON a bit better and faster, but needs Node >= 22.15 or a
 * native addon on every platform we package for; capture bandwidth (a few MB/s at most) is far
 * below what gzip level 6 sustains on one core.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createGzip, constants as z, type Gzip } from 'node:zlib';
import { once } from 'node:events';
import { CAPTURE_FORMAT, type CaptureHeader } from './format';

/** Everything written is decodable from the file at most this long after it was written. */
const FLUSH_MS = 1000;

export interface CaptureWriterOptions {
  /** A label for the node (e.g. the SSH host) used until the collector's hello names it. */
  node?: string;
  source?: string;
  /** Extra header fields (export: derived_from, redacted). */
  header?: Partial<CaptureHeader>;
}

export interface CaptureWriterStats {
  lines: number;
  /** Uncompressed bytes written, header included. */
  bytes: number;
}

/**
 * Writes a capture: header line, then the collector's lines as received. The header is written
 * when the first line arrives, so it can carry the node, kernel and collector of a hello line.
 * `write` follows stream back-pressure: false means wait for 'drain' on `drained()`.
 */
export class CaptureWriter {
  readonly stats: CaptureWriterStats = { lines: 0, bytes: 0 };
  readonly id: string;
  private readonly gzip: Gzip;
  private readonly file: WriteStream;
  private readonly done: Promise<void>;
  private headerWritten = false;
  private firstLine: Buffer[] = [];
  private dirty = false;
  private readonly timer: NodeJS.Timeout;
  private closing: Promise<CaptureWriterStats> | null = null;

  private constructor(
    readonly path: string,
    private readonly opts: CaptureWriterOptions,
  ) {
    this.id = opts.header?.id ?? randomUUID();
    this.gzip = createGzip({ level: 6 });
    // 'wx': never overwrite evidence
    this.file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    this.gzip.pipe(this.file);
    this.done = new Promise((resolve, reject) => {
      this.file.on('close', resolve);
      this.file.on('error', reject);
      this.gzip.on('error', reject);
    });
    this.done.catch(() => undefined);
    this.timer = setInterval(() => {
      if (!this.dirty) return;
      this.dirty = false;
      this.gzip.flush(z.Z_SYNC_FLUSH);
    }, FLUSH_MS);
    this.timer.unref();
  }

  /** The identity an import of this file will have in a database (see importCapture). */
  get ident(): string {
    return `capture:${this.id}`;
  }

  static async create(path: string, opts: CaptureWriterOptions = {}): Promise<CaptureWriter> {
    const w = new CaptureWriter(path, opts);
    await Promise.race([once(w.file, 'open'), w.done]);
    return w;
  }

  /** Raw bytes of collector output (lines may be split across chunks). */
  write(chunk: Buffer): boolean {
    if (!this.headerWritten) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.firstLine.push(chunk);
        return true;
      }
      const first = Buffer.concat([...this.firstLine, chunk.subarray(0, nl)]);
      this.firstLine = [];
      this.writeHeader(first.toString('utf8'));
      return this.put(Buffer.concat([first, chunk.subarray(nl)]));
    }
    return this.put(chunk);
  }

  /** One line without its newline. */
  writeLine(line: string): boolean {
    if (!this.headerWritten) this.writeHeader(line);
    return this.put(Buffer.from(line + '\n'));
  }

  /** Resolves when the writer can take more. */
  async drained(): Promise<void> {
    if (this.gzip.writableNeedDrain) await once(this.gzip, 'drain');
  }

  /** Ends the file (gzip trailer written); idempotent. */
  close(): Promise<CaptureWriterStats> {
    if (!this.closing) {
      this.closing = (async () => {
        clearInterval(this.timer);
        if (!this.headerWritten) this.writeHeader(this.firstLine.length ? Buffer.concat(this.firstLine).toString('utf8') : '');
        if (this.firstLine.length) this.put(Buffer.concat([...this.firstLine, Buffer.from('\n')]));
        this.firstLine = [];
        this.gzip.end();
        await this.done;
        return this.stats;
      })();
    }
    return this.closing;
  }

  private put(b: Buffer): boolean {
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) this.stats.lines++;
    this.stats.bytes += b.length;
    this.dirty = true;
    return this.gzip.write(b);
  }

  private writeHeader(firstLine: string): void {
    this.headerWritten = true;
    const header: CaptureHeader = {
      tracehound_capture: CAPTURE_FORMAT,
      id: this.id,
      created: new Date().toISOString(),
      source: this.opts.source ?? 'live',
      ...(this.opts.node ? { node: { hostname: this.opts.node } } : {}),
      ...this.opts.header,
    };
    const hello = helloOf(firstLine);
    if (hello) {
      header.node = {
        hostname: hello.hostname,
        boot_id: hello.boot_id,
        kernel: hello.kernel,
        arch: hello.arch,
      };
      header.collector = hello.collector;
      header.start_wall_ns = hello.wall_ns;
    }
    this.put(Buffer.from(JSON.stringify({ ...header, id: this.id }) + '\n'));
  }
}

function helloOf(line: string): { hostname?: string; boot_id?: string; kernel?: string; arch?: string; collector?: string; wall_ns?: string } | null {
  if (!line.startsWith('{"kind":"hello"')) return null;
  try {
    const v = JSON.parse(line) as Record<string, unknown>;
    const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string).slice(0, 256) : undefined);
    // the wall clock is read from the text: as a number it would lose its last digits
    const wall = /"wall_ns":(\d{1,24})/.exec(line)?.[1];
    return { hostname: s('hostname'), boot_id: s('boot_id'), kernel: s('kernel'), arch: s('arch'), collector: s('collector'), wall_ns: wall };
  } catch {
    return null;
  }
}
