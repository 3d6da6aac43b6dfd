/**
 * Reads collector JSON lines from a capture file (plain, or gzip when it ends in .gz) as sourced
 * events. Lines the validator rejects are counted and skipped, like ingest does: a truncated or
 * damaged capture still yields everything readable.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { parseLine } from '../../../../shared/events';
import type { SourcedEvent } from './evidence';

export interface CaptureRead {
  events: SourcedEvent[];
  bad: number;
  /** The first few rejected lines: line number, field and message. */
  errors: Array<{ line: number; field: string; message: string }>;
}

export async function readCapture(path: string, label = basename(path)): Promise<CaptureRead> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const rl = createInterface({ input, crlfDelay: Infinity });
  const out: CaptureRead = { events: [], bad: 0, errors: [] };
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() === '') continue;
    const r = parseLine(line);
    if (r.ok) {
      out.events.push({ event: r.event, capture: label });
      continue;
    }
    // header lines and kinds of newer collectors are not errors
    if (r.unknownKind) continue;
    out.bad++;
    if (out.errors.length < 5) out.errors.push({ line: n, field: r.field, message: r.message });
  }
  return out;
}
