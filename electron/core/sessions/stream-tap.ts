/**
 * Watches the collector's stdout as it passes to ingest: counts event lines for the live rate and
 * reads the collector's own `hello`, `stats`, `bye` and `error` lines (drops, probe gaps, fatal
 * errors). Only those few lines are parsed here; ingest validates everything.
 */
const WATCHED = ['{"kind":"stats"', '{"kind":"hello"', '{"kind":"bye"', '{"kind":"error"'];
/** Longer watched lines are not parsed (ingest still gets them). */
const MAX_WATCHED_LINE = 256 * 1024;

export interface TapEvents {
  onHello(line: Record<string, unknown>): void;
  onStats(line: { sent: Record<string, number>; dropped: Record<string, number> }, final: boolean): void;
  onError(message: string, fatal: boolean): void;
}

export class StreamTap {
  /** Lines seen that are events (not collector housekeeping). */
  events = 0;
  private carry: Buffer | null = null;
  private carryLen = 0;
  private skipping = false;

  constructor(private readonly on: TapEvents) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) {
        this.keep(chunk.subarray(start));
        return;
      }
      this.line(chunk.subarray(start, nl));
      start = nl + 1;
    }
  }

  private keep(part: Buffer): void {
    if (part.length === 0) return;
    if (this.skipping) return;
    this.carryLen += part.length;
    if (this.carryLen > MAX_WATCHED_LINE) {
      this.carry = null;
      this.skipping = true;
      return;
    }
    this.carry = this.carry ? Buffer.concat([this.carry, part]) : Buffer.from(part);
  }

  private line(tail: Buffer): void {
    const skipped = this.skipping;
    const whole = this.carry ? Buffer.concat([this.carry, tail]) : tail;
    this.carry = null;
    this.carryLen = 0;
    this.skipping = false;
    if (skipped || whole.length === 0) {
      if (skipped) this.events++;
      return;
    }
    const head = whole.subarray(0, 16).toString('latin1');
    const watched = WATCHED.find((w) => head.startsWith(w.slice(0, 16)));
    if (!watched || whole.length > MAX_WATCHED_LINE) {
      this.events++;
      return;
    }
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(whole.toString('utf8')) as Record<string, unknown>;
    } catch {
      return;
    }
    const kind = v.kind;
    if (kind === 'hello') this.on.onHello(v);
    else if (kind === 'stats' || kind === 'bye') this.on.onStats({ sent: counters(v.sent), dropped: counters(v.dropped) }, kind === 'bye');
    else if (kind === 'error') this.on.onError(String(v.message ?? '').slice(0, 1000), v.fatal === true);
    else this.events++;
  }
}

function counters(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof v !== 'object' || v === null) return out;
  for (const [k, n] of Object.entries(v).slice(0, 64)) if (typeof n === 'number' && Number.isFinite(n)) out[k] = n;
  return out;
}

export const sum = (c: Record<string, number>): number => Object.values(c).reduce((a, b) => a + b, 0);
