/**
 * Reads collector JSON lines from a capture file (shared/CAPTURE.md: optional header line, gzip
 * or plain) as sourced events. Lines the validator rejects are counted and skipped, like ingest
 * does, and a file cut by a crash yields everything before the cut.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { parseLine } from '../../../../shared/events';
import { looksLikeHeader, sniffCompression } from '../../capture/format';
import type { SourcedEvent } from './evidence';

export interface CaptureStats {
  bad: number;
  /** The first few rejected lines: line number, field and message. */
  errors: Array<{ line: number; field: string; message: string }>;
  truncated: boolean;
}

export interface CaptureRead extends CaptureStats {
  events: SourcedEvent[];
}

function head(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4);
    const n = readSync(fd, b, 0, 4, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export async function readCapture(path: string, label = basename(path)): Promise<CaptureRead> {
  const events: SourcedEvent[] = [];
  const stats = await streamCapture(path, (s) => events.push(s), label);
  return { ...stats, events };
}

/** Hands each valid event to `onEvent` as it is read: memory stays flat whatever the size. */
export async function streamCapture(path: string, onEvent: (s: SourcedEvent) => void, label = basename(path)): Promise<CaptureStats> {
  const compression = sniffCompression(head(path));
  if (compression === 'zstd') throw new Error(`${path}: zstd-compressed; decompress with "zstd -d" first`);
  const raw = createReadStream(path);
  const input = compression === 'gzip' ? raw.pipe(createGunzip()) : raw;
  const out: CaptureStats = { bad: 0, errors: [], truncated: false };
  let n = 0;
  let failed: Error | undefined;
  input.on('error', (e: Error) => (failed = e));
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      n++;
      if (line.trim() === '') continue;
      const r = parseLine(line);
      if (r.ok) {
        onEvent({ event: r.event, capture: label });
        continue;
      }
      if (n === 1 && safeHeader(line)) continue;
      // kinds of newer collectors are not errors
      if (r.unknownKind) continue;
      out.bad++;
      if (out.errors.length < 5) out.errors.push({ line: n, field: r.field, message: r.message });
    }
  } catch (e) {
    failed = e as Error;
  }
  if (failed) out.truncated = true;
  return out;
}

function safeHeader(line: string): boolean {
  try {
    return looksLikeHeader(JSON.parse(line));
  } catch {
    return false;
  }
}
