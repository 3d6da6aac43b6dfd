/**
 * Builds large captures from a real recording by replaying its lines many times with pids and
 * times shifted per copy (so every copy is a distinct set of processes, and pid reuse across
 * copies never merges them). Used by the 1M-event benchmarks and the crash tests: the content is
 * real collector output, only repeated.
 */
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { CaptureWriter } from '../electron/core/capture/writer';

/** pids of a copy are shifted by copy × PID_STEP, wrapped below pid_max. */
const PID_STEP = 40_000;
const PID_LIMIT = 4_000_000;

export function readCaptureLines(path: string): string[] {
  return gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((l) => l.length > 0);
}

/** Writes `events` collector lines (plus header) derived from `lines` (header first) to `out`. */
export async function replicate(lines: readonly string[], events: number, out: string): Promise<number> {
  const body = lines.slice(1).map((l) => JSON.parse(l) as Record<string, unknown>);
  const hello = body.find((e) => e.kind === 'hello')!;
  const rest = body.filter((e) => e.kind !== 'hello' && e.kind !== 'bye');
  const ts = rest.map((e) => e.ts).filter((t): t is number => typeof t === 'number');
  const span = Math.max(...ts) - Math.min(...ts) + 1_000_000;
  const w = await CaptureWriter.create(out, { source: 'live' });
  w.writeLine(JSON.stringify(hello));
  let n = 1;
  for (let copy = 0; n < events; copy++) {
    const shift = ((copy * PID_STEP) % PID_LIMIT);
    const dt = copy * span;
    for (const e of rest) {
      if (n >= events) break;
      const c: Record<string, unknown> = { ...e };
      if (typeof c.ts === 'number') c.ts = (c.ts as number) + dt;
      if (typeof c.start === 'number' && (c.start as number) > 0) c.start = (c.start as number) + dt;
      if (typeof c.pstart === 'number' && (c.pstart as number) > 0) c.pstart = (c.pstart as number) + dt;
      for (const k of ['pid', 'tid', 'ppid'] as const) {
        if (typeof c[k] === 'number' && (c[k] as number) > 1) c[k] = ((c[k] as number) + shift) % PID_LIMIT;
      }
      if (typeof c.cid === 'string' && copy > 0) c.cid = `${c.cid}-${copy % 50}`;
      if (!w.writeLine(JSON.stringify(c))) await w.drained();
      n++;
    }
  }
  await w.close();
  return n;
}
