import { createReadStream, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { parse } from '../../../shared/schema';
import { CaptureHeaderSchema, MAX_HEADER_BYTES, looksLikeHeader, sniffCompression, type CaptureHeader, type Compression } from './format';

export class CaptureError extends Error {}

export interface CaptureInfo {
  path: string;
  /** Size of the file on disk (compressed). */
  size: number;
  compression: Compression;
  /** Null for a bare collector output file (no header line). */
  header: CaptureHeader | null;
  /** Stable identity: the header id, else a hash of the first MiB and the size. */
  ident: string;
}

/** Reads what is needed to decide how to import a file, without reading all of it. */
export async function inspectCapture(path: string): Promise<CaptureInfo> {
  const { size, head } = readHead(path, 1024 * 1024);
  const compression = sniffCompression(head);
  if (compression === 'zstd') {
    throw new CaptureError(`${path}: zstd-compressed files are not read by this version; decompress with "zstd -d" first`);
  }
  const firstLine = await readFirstLine(path, compression);
  let header: CaptureHeader | null = null;
  if (firstLine !== null) {
    let v: unknown;
    try {
      v = JSON.parse(firstLine);
    } catch {
      v = undefined;
    }
    if (looksLikeHeader(v)) {
      const r = parse(CaptureHeaderSchema, v);
      if (!r.ok) throw new CaptureError(`${path}: line 1: capture header: ${r.issue.path}: ${r.issue.message}`);
      header = r.value;
    }
  }
  const ident = header ? `capture:${header.id}` : `sha256:${createHash('sha256').update(head).digest('hex')}:${size}`;
  return { path, size, compression, header, ident };
}

function readHead(path: string, max: number): { size: number; head: Buffer } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(max, size));
    let got = 0;
    while (got < head.length) {
      const n = readSync(fd, head, got, head.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return { size, head: head.subarray(0, got) };
  } finally {
    closeSync(fd);
  }
}

/** The first line of the decompressed content (bounded), or null when there is none. */
function readFirstLine(path: string, compression: Compression): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const file = createReadStream(path, { highWaterMark: 16 * 1024 });
    const src = compression === 'gzip' ? file.pipe(createGunzip()) : file;
    const parts: Buffer[] = [];
    let bytes = 0;
    const finish = (v: string | null) => {
      file.destroy();
      if (src !== file) src.destroy();
      resolve(v);
    };
    src.on('data', (b: Buffer) => {
      const nl = b.indexOf(10);
      parts.push(nl === -1 ? b : b.subarray(0, nl));
      bytes += b.length;
      if (nl !== -1) finish(Buffer.concat(parts).toString('utf8'));
      else if (bytes > MAX_HEADER_BYTES) finish(null);
    });
    src.on('end', () => finish(parts.length ? Buffer.concat(parts).toString('utf8') : null));
    src.on('error', (e: NodeJS.ErrnoException) => {
      // a cut or damaged file may still have a readable first line
      if (parts.length) finish(Buffer.concat(parts).toString('utf8'));
      else if (e.code === 'Z_BUF_ERROR') finish(null);
      else reject(new CaptureError(`${path}: ${e.message}`));
    });
    file.on('error', (e) => reject(new CaptureError(`${path}: ${e.message}`)));
  });
}
