import { EVENT_KINDS, KINDS, startKey, type CollectorEvent } from '../../../shared/events';
import type { Db } from './db';
import { Detector } from '../detect';
import type { Alert } from '../../../shared/alerts';

/** pids stay below 2^22 (PID_MAX_LIMIT), so (start tick, pid) packs into one safe integer key. */
const PID_SPACE = 4_194_304;
/** Bounds the process cache whatever the capture size; a miss falls back to the unique index. */
const MAX_CACHED_PROCESSES = 200_000;
/** Same for containers: a hostile stream may name a new container on every line. */
const MAX_CACHED_CONTAINERS = 10_000;
const UNKNOWN_BOOT = '(unknown node)';
/**
 * Events inserted per statement: one multi-row INSERT costs ~1 µs less per row than as many
 * single-row ones (bench/ingest.mts), the statement overhead being paid once.
 */
const ROWS_PER_INSERT = 32;
const EVENT_COLUMNS = 9;

/** Kinds whose events carry a process context (pid, start, parent…). */
const CONTEXT_KINDS: ReadonlySet<string> = new Set(EVENT_KINDS.filter((k) => KINDS[k].context));
/** Syscall sets remembered to skip numbers already stored (each cgroup repeats its set every second). */
const MAX_CACHED_SYSCALL_SETS = 10_000;

interface ProcState {
  id: number;
  /** Placeholders learn their own context when they first show up in an event. */
  placeholder: boolean;
  container: number | null;
}

interface ContainerState {
  id: number;
  first: number;
  last: number;
  events: number;
  dirty: boolean;
}

export interface WriterCounters {
  events: number;
  processes: number;
  containers: number;
  drops: number;
}

/**
 * Turns validated collector events into rows: events, processes (identity = node + pid + start
 * tick, so a reused pid is a new process), containers, per-second container activity and
 * syscall sets. Callers group `add` calls in a transaction and call `flush` before committing.
 */
export class EventWriter {
  readonly counters: WriterCounters = { events: 0, processes: 0, containers: 0, drops: 0 };
  private node = 0;
  private clockOffset = 0;
  private lastT = 0;
  private readonly procs = new Map<number, ProcState>();
  private readonly containers = new Map<string, ContainerState>();
  private readonly activity = new Map<number, Map<number, number>>();
  private readonly kinds = new Map<string, number>();
  /** (cgroup, arch, phase) of this node → syscall numbers already in syscall_sets. */
  private readonly syscallSets = new Map<string, Set<number>>();
  /** Detection runs on the same pass as the insert: alerts point at the rows just written. */
  private readonly detector = new Detector();
  private readonly alertRows = new Map<Alert, { id: number; evidence: number }>();
  private readonly st;
  /** Event rows not yet inserted (flat, EVENT_COLUMNS values each); `flush` writes them. */
  private readonly rows: unknown[] = new Array<unknown>(ROWS_PER_INSERT * EVENT_COLUMNS);
  private buffered = 0;
  /** Seq of the next event; read from the table when unknown (first add of a transaction). */
  private nextSeq = 0;

  constructor(
    private readonly db: Db,
    private readonly capture: number | null,
  ) {
    this.st = {
      insertAlert: db.prepare('INSERT INTO alerts (t, rule, severity, proc, container, event, detail) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      updateAlert: db.prepare('UPDATE alerts SET detail = ? WHERE id = ?'),
      insertEvent: db.prepare('INSERT INTO events (seq, t, kind, node, capture, proc, pid, container, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      insertEvents: db.prepare(
        `INSERT INTO events (seq, t, kind, node, capture, proc, pid, container, data) VALUES ${Array<string>(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      ),
      maxSeq: db.prepare<[], { n: number | null }>('SELECT max(seq) n FROM events'),
      nodeByBoot: db.prepare<[string], { id: number; clock_offset: number }>('SELECT id, clock_offset FROM nodes WHERE boot_id = ?'),
      insertNode: db.prepare(
        'INSERT INTO nodes (boot_id, hostname, kernel, arch, collector, clock_offset, hello) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      updateNode: db.prepare('UPDATE nodes SET hostname = ?, kernel = ?, arch = ?, collector = ?, hello = ? WHERE id = ?'),
      procByKey: db.prepare<[number, number, number], { id: number; origin: string; container: number | null }>(
        'SELECT id, origin, container FROM processes WHERE node = ? AND pid = ? AND start_key = ?',
      ),
      insertProc: db.prepare(
        `INSERT INTO processes (node, pid, start_key, start, ppid, parent, origin, comm, uid, container, first_t)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      adoptPlaceholder: db.prepare(
        'UPDATE processes SET origin = ?, ppid = ?, parent = ?, comm = ?, uid = ?, container = COALESCE(container, ?) WHERE id = ?',
      ),
      setProcContainer: db.prepare('UPDATE processes SET container = ? WHERE id = ?'),
      execProc: db.prepare(
        `UPDATE processes SET comm = ?, exe = ?, argv = ?, cmdline = ?, cwd = COALESCE(?, cwd), euid = ?, exec_t = COALESCE(exec_t, ?),
         execs = execs + 1 WHERE id = ?`,
      ),
      snapshotProc: db.prepare('UPDATE processes SET exe = ?, argv = ?, cmdline = ?, cwd = ?, euid = ? WHERE id = ?'),
      exitProc: db.prepare('UPDATE processes SET exit_t = ?, exit_code = ?, exit_signal = ? WHERE id = ?'),
      containerByCid: db.prepare<[number, string], { id: number; first_t: number | null; last_t: number | null; events: number }>(
        'SELECT id, first_t, last_t, events FROM containers WHERE node = ? AND cid = ?',
      ),
      insertContainer: db.prepare('INSERT INTO containers (node, cid, cgroup, first_t, last_t) VALUES (?, ?, ?, ?, ?)'),
      describeContainer: db.prepare(
        `UPDATE containers SET cgroup = COALESCE(?, cgroup), runtime = ?, name = ?, image = ?, pod = ?, namespace = ?,
         pod_uid = ?, sandbox_id = ?, bundle = ?, annotations = ? WHERE id = ?`,
      ),
      touchContainer: db.prepare('UPDATE containers SET first_t = ?, last_t = ?, events = ? WHERE id = ?'),
      addActivity: db.prepare(
        `INSERT INTO container_activity (container, second, events) VALUES (?, ?, ?)
         ON CONFLICT (container, second) DO UPDATE SET events = events + excluded.events`,
      ),
      addKind: db.prepare(
        'INSERT INTO kind_counts (kind, events) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET events = events + excluded.events',
      ),
      addSyscall: db.prepare(
        'INSERT OR IGNORE INTO syscall_sets (container, cgroup, node, arch, phase, nr, first_t) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  /** Stores one validated event; `raw` is the line as received (kept verbatim). Returns its seq. */
  add(ev: CollectorEvent, raw: string): number {
    const kind = ev.kind;
    if (kind === 'hello') this.onHello(ev, raw);
    if (this.node === 0) this.useNode(UNKNOWN_BOOT, UNKNOWN_BOOT, null);
    const t = this.timeOf(ev);
    let proc: number | null = null;
    let container: number | null = null;
    if (typeof ev.cid === 'string' && ev.cid !== '') container = this.touchContainer(ev.cid, t, ev.cgroup ?? null);
    if (CONTEXT_KINDS.has(kind) && typeof ev.pid === 'number') proc = this.process(ev, t, container);
    switch (kind) {
      case 'container':
        if (container !== null) this.describe(container, ev);
        break;
      case 'syscalls':
        this.syscalls(ev, t, container);
        break;
      case 'stats':
      case 'bye':
        this.counters.drops = Math.max(this.counters.drops, sumValues(ev.dropped));
        break;
    }
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
    // Seqs are given here, not by SQLite, so rows can be inserted several per statement: the
    // caller's transaction holds the write lock, so nothing else takes a seq in between.
    if (this.nextSeq === 0) this.nextSeq = (this.st.maxSeq.get()?.n ?? 0) + 1;
    const seq = this.nextSeq++;
    const rows = this.rows;
    let o = this.buffered * EVENT_COLUMNS;
    rows[o++] = seq;
    rows[o++] = t;
    rows[o++] = kind;
    rows[o++] = this.node;
    rows[o++] = this.capture;
    rows[o++] = proc;
    rows[o++] = typeof ev.pid === 'number' ? ev.pid : null;
    rows[o++] = container;
    rows[o] = raw;
    if (++this.buffered === ROWS_PER_INSERT) {
      this.st.insertEvents.run(rows);
      this.buffered = 0;
    }
    this.counters.events++;
    for (const a of this.detector.observe(ev, seq)) {
      const row = this.st.insertAlert.run(t, a.rule, a.severity, proc, container, seq, alertDetail(a));
      this.alertRows.set(a, { id: Number(row.lastInsertRowid), evidence: a.evidence.length });
    }
    return seq;
  }

  /** The node of the last line written (0 before any). */
  get nodeId(): number {
    return this.node;
  }

  /** Takes the node and clock anchor of a hello line without storing it (resumed imports). */
  adoptNode(hello: CollectorEvent, raw: string): void {
    this.onHello(hello, raw);
  }

  /** Writes the aggregates gathered since the last flush (call inside the batch transaction). */
  flush(): void {
    for (let i = 0; i < this.buffered; i++) this.st.insertEvent.run(this.rows.slice(i * EVENT_COLUMNS, (i + 1) * EVENT_COLUMNS));
    this.buffered = 0;
    // the next transaction reads the table's last seq again (another writer may have added rows)
    this.nextSeq = 0;
    // Evidence added to an alert since the last flush (the same process doing it again).
    for (const [a, row] of this.alertRows) {
      if (a.evidence.length === row.evidence) continue;
      this.st.updateAlert.run(alertDetail(a), row.id);
      row.evidence = a.evidence.length;
    }
    for (const c of this.containers.values()) {
      if (!c.dirty) continue;
      this.st.touchContainer.run(c.first, c.last, c.events, c.id);
      c.dirty = false;
    }
    for (const [container, seconds] of this.activity) {
      for (const [second, n] of seconds) this.st.addActivity.run(container, second, n);
    }
    this.activity.clear();
    for (const [kind, n] of this.kinds) this.st.addKind.run(kind, n);
    this.kinds.clear();
  }

  private timeOf(ev: CollectorEvent): number {
    if (typeof ev.ts === 'number') {
      this.lastT = Math.floor((ev.ts + this.clockOffset) / 1000);
    }
    return this.lastT;
  }

  private onHello(ev: CollectorEvent, raw: string): void {
    const clock = ev.clock as { boot_ns: number; wall_ns: number };
    const offset = clock.wall_ns - clock.boot_ns;
    this.useNode(String(ev.boot_id), String(ev.hostname), offset, ev, raw);
    this.lastT = Math.floor(clock.wall_ns / 1000);
  }

  /** `helloRaw` is the hello line as received: exports start with it, unknown fields included. */
  private useNode(bootId: string, hostname: string, offset: number | null, hello?: CollectorEvent, helloRaw?: string): void {
    const row = this.st.nodeByBoot.get(bootId);
    const helloText = helloRaw ?? '{}';
    if (row) {
      this.node = row.id;
      // one boot has one clock anchor: keep the first so times of several captures line up
      this.clockOffset = row.clock_offset;
      if (hello) this.st.updateNode.run(hostname, str(hello.kernel), str(hello.arch), str(hello.collector), helloText, row.id);
    } else {
      const r = this.st.insertNode.run(bootId, hostname, str(hello?.kernel), str(hello?.arch), str(hello?.collector), offset ?? 0, helloText);
      this.node = Number(r.lastInsertRowid);
      this.clockOffset = offset ?? 0;
    }
    // a new node invalidates the per-node caches (their pending counts are written first)
    this.flush();
    this.procs.clear();
    this.containers.clear();
    this.syscallSets.clear();
  }

  private process(ev: CollectorEvent, t: number, container: number | null): number {
    const pid = ev.pid!;
    const start = typeof ev.start === 'number' ? ev.start : 0;
    const key = startKey(start) * PID_SPACE + pid;
    let p = this.procs.get(key) ?? this.loadProc(pid, start, key);
    const kind = ev.kind;
    if (!p) {
      const parent = this.parentOf(ev, t);
      const origin = kind === 'proc' ? 'proc' : kind === 'fork' ? 'fork' : 'seen';
      const r = this.st.insertProc.run(this.node, pid, startKey(start), start, ev.ppid ?? null, parent, origin, ev.comm ?? null, ev.uid ?? null, container, t);
      p = { id: Number(r.lastInsertRowid), placeholder: false, container };
      this.cacheProc(key, p);
      this.counters.processes++;
    } else if (p.placeholder) {
      const origin = kind === 'proc' ? 'proc' : kind === 'fork' ? 'fork' : 'seen';
      this.st.adoptPlaceholder.run(origin, ev.ppid ?? null, this.parentOf(ev, t), ev.comm ?? null, ev.uid ?? null, container, p.id);
      p.placeholder = false;
      p.container = p.container ?? container;
    } else if (p.container === null && container !== null) {
      this.st.setProcContainer.run(container, p.id);
      p.container = container;
    }
    switch (kind) {
      case 'exec':
        this.st.execProc.run(ev.comm ?? null, str(typeof ev.exe === 'string' ? ev.exe : ev.filename), JSON.stringify(ev.argv ?? []), cmdline(ev.argv), str(ev.cwd), ev.euid ?? null, t, p.id);
        break;
      case 'proc':
        this.st.snapshotProc.run(str(ev.exe), JSON.stringify(ev.argv ?? []), cmdline(ev.argv), str(ev.cwd), ev.euid ?? null, p.id);
        break;
      case 'exit':
        this.st.exitProc.run(t, ev.code ?? null, ev.signal ?? null, p.id);
        break;
    }
    return p.id;
  }

  /** The parent process row, created as a placeholder when it was never seen itself. */
  private parentOf(ev: CollectorEvent, t: number): number | null {
    const ppid = ev.ppid;
    if (typeof ppid !== 'number' || ppid <= 0) return null;
    const pstart = typeof ev.pstart === 'number' ? ev.pstart : 0;
    const key = startKey(pstart) * PID_SPACE + ppid;
    const known = this.procs.get(key) ?? this.loadProc(ppid, pstart, key);
    if (known) return known.id;
    const r = this.st.insertProc.run(this.node, ppid, startKey(pstart), pstart, null, null, 'placeholder', null, null, null, t);
    const p: ProcState = { id: Number(r.lastInsertRowid), placeholder: true, container: null };
    this.cacheProc(key, p);
    this.counters.processes++;
    return p.id;
  }

  private loadProc(pid: number, start: number, key: number): ProcState | undefined {
    const row = this.st.procByKey.get(this.node, pid, startKey(start));
    if (!row) return undefined;
    const p: ProcState = { id: row.id, placeholder: row.origin === 'placeholder', container: row.container };
    this.cacheProc(key, p);
    return p;
  }

  private cacheProc(key: number, p: ProcState): void {
    if (this.procs.size >= MAX_CACHED_PROCESSES) this.procs.clear();
    this.procs.set(key, p);
  }

  private touchContainer(cid: string, t: number, cgroup: number | null): number {
    let c = this.containers.get(cid);
    if (!c) {
      const row = this.st.containerByCid.get(this.node, cid);
      if (row) {
        c = { id: row.id, first: row.first_t ?? t, last: row.last_t ?? t, events: row.events, dirty: false };
      } else {
        const r = this.st.insertContainer.run(this.node, cid, cgroup, t, t);
        c = { id: Number(r.lastInsertRowid), first: t, last: t, events: 0, dirty: true };
        this.counters.containers++;
      }
      if (this.containers.size >= MAX_CACHED_CONTAINERS) this.evictContainers();
      this.containers.set(cid, c);
    }
    if (t < c.first) c.first = t;
    if (t > c.last) c.last = t;
    c.events++;
    c.dirty = true;
    let seconds = this.activity.get(c.id);
    if (!seconds) this.activity.set(c.id, (seconds = new Map()));
    const second = Math.floor(t / 1_000_000);
    seconds.set(second, (seconds.get(second) ?? 0) + 1);
    return c.id;
  }

  private evictContainers(): void {
    for (const c of this.containers.values()) {
      if (c.dirty) this.st.touchContainer.run(c.first, c.last, c.events, c.id);
    }
    this.containers.clear();
  }

  private describe(container: number, ev: CollectorEvent): void {
    this.st.describeContainer.run(
      ev.cgroup ?? null,
      str(ev.runtime),
      str(ev.name),
      str(ev.image),
      str(ev.pod),
      str(ev.namespace),
      str(ev.pod_uid),
      str(ev.sandbox_id),
      str(ev.bundle),
      ev.annotations ? JSON.stringify(ev.annotations) : null,
      container,
    );
  }

  private syscalls(ev: CollectorEvent, t: number, container: number | null): void {
    const nrs = ev.nr as number[];
    const arch = str(ev.arch) ?? 'unknown';
    const phase = str(ev.phase) ?? 'workload';
    const cgroup = ev.cgroup ?? 0;
    const key = `${cgroup}/${arch}/${phase}`;
    let known = this.syscallSets.get(key);
    if (!known) {
      if (this.syscallSets.size >= MAX_CACHED_SYSCALL_SETS) this.syscallSets.clear();
      this.syscallSets.set(key, (known = new Set()));
    }
    for (const nr of nrs) {
      if (known.has(nr)) continue;
      this.st.addSyscall.run(container, cgroup, this.node, arch, phase, nr, t);
      known.add(nr);
    }
  }
}

function cmdline(argv: unknown): string | null {
  return Array.isArray(argv) ? argv.join(' ') : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function sumValues(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let n = 0;
  for (const x of Object.values(v)) if (typeof x === 'number' && Number.isFinite(x)) n += x;
  return n;
}

/** The alert's own words and its evidence (event seqs), kept as JSON beside the typed columns. */
function alertDetail(a: Alert): string {
  return JSON.stringify({ title: a.title, message: a.message, pid: a.pid, comm: a.comm, cid: a.cid, evidence: a.evidence });
}
