import { parseLine, type CollectorEvent } from '../../../shared/events';
import { LineSplitter } from './lines';

/** Numbers carried per event in `ParsedBatch.nums`, in this order (NaN when absent); BatchParser.add spells them out in the same order. */
const NUM_FIELDS = ['ts', 'pid', 'start', 'ppid', 'pstart', 'uid', 'cgroup'] as const;
const NUMS = NUM_FIELDS.length;

/**
 * Fields the store needs beyond the common context, per kind; the rest stays in the raw line.
 * Only these cross from the parsing thread, never whole parsed objects: cloning an object graph
 * costs as much as parsing the JSON again.
 */
const EXTRA: Record<string, readonly string[]> = {
  hello: ['boot_id', 'hostname', 'kernel', 'arch', 'collector', 'clock'],
  exec: ['filename', 'exe', 'argv', 'cwd', 'euid', 'exe_upper'],
  proc: ['exe', 'argv', 'cwd', 'euid'],
  exit: ['code', 'signal'],
  // What the detection rules (electron/core/detect) read, which runs in the same pass as the insert.
  open: ['path', 'ret'],
  net: ['op', 'proto', 'daddr', 'dport'],
  ptrace: ['request', 'target', 'ret'],
  module: ['op', 'name', 'ret'],
  cred: ['op', 'args', 'ret'],
  ns: ['op', 'ret'],
  mount: ['op', 'ret'],
  container: ['runtime', 'name', 'image', 'pod', 'namespace', 'pod_uid', 'sandbox_id', 'bundle', 'annotations'],
  syscalls: ['nr', 'arch', 'phase'],
  stats: ['dropped'],
  bye: ['dropped'],
};

export interface BatchBadLine {
  line: number;
  field: string;
  message: string;
  excerpt: string;
  /** Unknown kinds are kept as events and reported; the others are dropped. */
  kept: boolean;
}

/** Parsed lines in a form that is cheap to pass between threads. */
export interface ParsedBatch {
  raw: string[];
  kind: string[];
  comm: Array<string | null>;
  cid: Array<string | null>;
  extra: Array<Record<string, unknown> | null>;
  line: number[];
  nums: Float64Array;
  bad: BatchBadLine[];
  /** Number of the last line this batch accounts for. */
  lastLine: number;
}

export interface ParserOptions {
  firstLine: number;
  skipHeader: boolean;
  /** Lines up to this number were committed before: only their hello lines matter. */
  skipThrough: number;
  maxLineBytes?: number;
}

const EXCERPT_CHARS = 200;

/** Splits bytes into lines and validates them into batches (the same code in or out of a worker). */
export class BatchParser {
  private batch: ParsedBatch;
  private nums: number[] = [];
  private readonly splitter: LineSplitter;

  constructor(private readonly opts: ParserOptions) {
    this.batch = this.fresh();
    this.splitter = new LineSplitter(
      (line, no) => this.take(line, no),
      (no, bytes) => this.bad(no, '(line)', `line of ${bytes} bytes is longer than the limit`, '', false),
      opts.firstLine,
      opts.maxLineBytes,
    );
  }

  push(chunk: Buffer): void {
    this.splitter.push(chunk);
  }

  /** End of input: a last line without newline counts, unless the source was cut (it may continue). */
  end(cut: boolean): { cutBytes: number; nextLine: number } {
    const cutBytes = cut ? this.splitter.abandon() : (this.splitter.end(), 0);
    return { cutBytes, nextLine: this.splitter.lineNo };
  }

  get size(): number {
    return this.batch.raw.length + this.batch.bad.length;
  }

  /** Hands over what was parsed since the last call. */
  takeBatch(): ParsedBatch {
    const b = this.batch;
    b.nums = Float64Array.from(this.nums);
    b.lastLine = this.splitter.lineNo - 1;
    this.batch = this.fresh();
    this.nums = [];
    return b;
  }

  private fresh(): ParsedBatch {
    return { raw: [], kind: [], comm: [], cid: [], extra: [], line: [], nums: new Float64Array(0), bad: [], lastLine: 0 };
  }

  private take(line: string, no: number): void {
    if (no === 1 && this.opts.skipHeader) return;
    if (no <= this.opts.skipThrough) {
      if (line.startsWith('{"kind":"hello"')) {
        const r = parseLine(line);
        if (r.ok) this.add(r.event, line, no, true);
      }
      return;
    }
    const r = parseLine(line);
    if (r.ok) return this.add(r.event, line, no, false);
    if (r.unknownKind) {
      const kind = String((JSON.parse(line) as { kind: unknown }).kind).slice(0, 64);
      this.add({ kind } as CollectorEvent, line, no, false);
      this.bad(no, 'kind', `${r.message} (kept as is)`, line, true);
      return;
    }
    this.bad(no, r.field, r.message, line, false);
  }

  private add(ev: CollectorEvent, raw: string, no: number, replayedHello: boolean): void {
    const b = this.batch;
    // a hello line before the resume point only re-anchors the node: marked by a negative line
    b.line.push(replayedHello ? -no : no);
    b.raw.push(raw);
    b.kind.push(ev.kind);
    b.comm.push(typeof ev.comm === 'string' ? ev.comm : null);
    b.cid.push(typeof ev.cid === 'string' ? ev.cid : null);
    // spelled out (not a loop over NUM_FIELDS): named property loads are several times cheaper
    const n = this.nums;
    n.push(num(ev.ts), num(ev.pid), num(ev.start), num(ev.ppid), num(ev.pstart), num(ev.uid), num(ev.cgroup));
    const want = EXTRA[ev.kind];
    if (want) {
      const x: Record<string, unknown> = {};
      for (const f of want) if (ev[f] !== undefined) x[f] = ev[f];
      b.extra.push(x);
    } else {
      b.extra.push(null);
    }
  }

  private bad(line: number, field: string, message: string, raw: string, kept: boolean): void {
    this.batch.bad.push({ line, field, message, excerpt: raw.slice(0, EXCERPT_CHARS), kept });
  }
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : NaN;
}

/** Rebuilds the event the store's writer needs from entry `i` of a batch. */
export function eventAt(b: ParsedBatch, i: number): CollectorEvent {
  // the batch's own object (each batch is a fresh copy from the parser): filled in, not copied
  const ev = (b.extra[i] ?? {}) as CollectorEvent;
  ev.kind = b.kind[i] as CollectorEvent['kind'];
  const o = i * NUMS;
  for (let k = 0; k < NUMS; k++) {
    const v = b.nums[o + k]!;
    if (!Number.isNaN(v)) ev[NUM_FIELDS[k]!] = v;
  }
  if (b.comm[i] !== null) ev.comm = b.comm[i]!;
  if (b.cid[i] !== null) ev.cid = b.cid[i]!;
  return ev;
}

export function tsAt(b: ParsedBatch, i: number): number {
  return b.nums[i * NUMS]!;
}
