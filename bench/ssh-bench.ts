// Live-session benchmarks over a real sshd on 127.0.0.1 into a real SQLite file (root).
// Each prints its figures as JSON lines on stdout.
//
//   node --import tsx bench/ssh-bench.ts connect   [--runs 5]      connect → collector running
//   node --import tsx bench/ssh-bench.ts latency   [--seconds 10]  event → database p50/p99 at 1k and 20k/s
//   node --import tsx bench/ssh-bench.ts sustained [--seconds 5]   highest rate through SSH into SQLite without drops
//   node --import tsx bench/ssh-bench.ts all
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { openSshTransport } from '../electron/core/ssh';
import { SessionManager } from '../electron/core/sessions/manager';
import { findCollector } from '../electron/core/sessions/collector-artifact';
import { storeSink } from '../electron/core/sessions/store-sink';
import type { Session } from '../electron/core/sessions/session';
import { openStore } from '../electron/core/store/store';
import type { Statement } from 'better-sqlite3';
import { makeLab, Sshd } from '../test/integration/ssh-harness';
import { BIN, ensureBuilt, ROOT } from '../test/integration/collector-harness';

const GEN = join(ROOT, 'agent-bpf/.output/bench/collector-gen');
const args = process.argv.slice(2);
const cmd = args[0] ?? 'all';
const opt = (name: string, def: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const emit = (o: Record<string, unknown>) =>
  process.stdout.write(JSON.stringify({ ...o, machine: `${cpus().length}x ${cpus()[0]?.model ?? '?'}`, date: new Date().toISOString() }) + '\n');

function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function until<T>(f: () => T | null | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

let lab: ReturnType<typeof makeLab>;
let node: Sshd;
let store: ReturnType<typeof openStore>;
let manager: SessionManager;
let newOpens: Statement<[number], { seq: number; t: number }>;
let maxSeq: Statement<[], { m: number | null }>;
let countOpens: Statement<[number], { n: number }>;
/** Commit-time latency of every `open` event: wall time of the commit minus the event's time. */
const latencies: number[] = [];
let lastSeq = 0;

async function setup(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root');
  ensureBuilt();
  if (!existsSync(GEN)) {
    mkdirSync(dirname(GEN), { recursive: true });
    execFileSync('cc', ['-O2', '-Wall', '-o', GEN, join(ROOT, 'bench/collector-gen.c')]);
  }

  lab = makeLab();
  node = new Sshd(lab.dir, 'node');
  await node.start();
  node.authorize('root', lab.userPub);
  writeFileSync(lab.knownHosts, `[127.0.0.1]:${node.port} ${node.hostPublicKey}\n`);
  writeFileSync(lab.configPath, `Host node\n  HostName 127.0.0.1\n  Port ${node.port}\n  User root\n  IdentityFile ${lab.userKey}\n  UserKnownHostsFile ${lab.knownHosts}\n`);
  store = openStore(join(lab.dir, 'bench.sqlite'));

  newOpens = store.db.prepare<[number], { seq: number; t: number }>("SELECT seq, t FROM events WHERE seq > ? AND kind = 'open'");
  maxSeq = store.db.prepare<[], { m: number | null }>('SELECT max(seq) AS m FROM events');
  countOpens = store.db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM events WHERE seq > ? AND kind = 'open'");

  manager = new SessionManager({
    openTransport: (t, p, s) => openSshTransport(t, p, s, { config: { configPath: lab.configPath, home: lab.home, localUser: 'bench' } }),
    collectorFor: (arch) => findCollector(dirname(BIN), arch),
    sink: (meta) =>
      storeSink(meta, {
        store,
        captureDir: lab.dir,
        onCommit: () => {
          const now = Date.now() * 1000;
          for (const r of newOpens.iterate(lastSeq)) {
            latencies.push((now - r.t) / 1000);
            lastSeq = r.seq;
          }
        },
      }),
    logDir: lab.dir,
    emitState: () => undefined,
    emitPrompt: () => {
      throw new Error('unexpected prompt');
    },
  });
}

async function hello(s: Session): Promise<void> {
  await manager.started(s.id);
  if (s.info().state !== 'running') throw new Error(`session ${s.info().state}: ${s.info().message}`);
  await until(() => s.timings.hello);
}

async function benchConnect(): Promise<void> {
  const runs = opt('runs', 5);
  for (const reuse of [false, true]) {
    const totals: number[] = [];
    const steps: Record<string, number[]> = { connect: [], preflight: [], upload: [], spawnToHello: [] };
    // A session left running keeps its uploaded binary, so the next ones reuse it.
    const keeper = reuse ? manager.start({ target: 'node', kinds: 'exec' }) : null;
    if (keeper) await hello(keeper);
    for (let i = 0; i < runs; i++) {
      const s = manager.start({ target: 'node', kinds: 'exec' });
      await hello(s);
      const t = s.timings;
      totals.push(t.hello! - t.begin);
      steps.connect!.push(t.connected! - t.begin);
      steps.preflight!.push(t.preflighted! - t.connected!);
      steps.upload!.push(t.uploaded! - t.preflighted!);
      steps.spawnToHello!.push(t.hello! - t.uploaded!);
      await manager.stop(s.id);
    }
    if (keeper) await manager.stop(keeper.id);
    emit({
      bench: 'connect-to-running',
      binary: reuse ? 'already on the node' : 'uploaded',
      runs,
      median_ms: pct(totals, 50),
      max_ms: totals.reduce((a, b) => Math.max(a, b), 0),
      steps_median_ms: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, pct(v, 50)])),
      collector_bytes: findCollector(dirname(BIN), 'x86_64').size,
    });
  }
}

/** A shell that runs the load generator on request; the collector follows it and its children. */
function driver() {
  const sh = spawn('/bin/sh', [], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = '';
  const waiters: Array<(l: string) => void> = [];
  sh.stdout.setEncoding('utf8');
  sh.stdout.on('data', (c: string) => {
    buf += c;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      waiters.shift()?.(line);
    }
  });
  return {
    pid: sh.pid!,
    run(mode: string, rate: number, secs: number, workers: number): Promise<Record<string, number>> {
      return new Promise((res) => {
        waiters.push((l) => res(JSON.parse(l) as Record<string, number>));
        sh.stdin.write(`printf x | ${GEN} ${mode} ${rate} ${secs} ${workers}\n`);
      });
    },
    close: () => sh.stdin.end(),
  };
}

async function benchLatency(): Promise<void> {
  const secs = opt('seconds', 10);
  const d = driver();
  const s = manager.start({ target: 'node', kinds: 'open,fork,exec,exit', pid: d.pid });
  await hello(s);
  for (const rate of [1000, 20000]) {
    latencies.length = 0;
    lastSeq = maxSeq.get()!.m ?? 0;
    const drops0 = s.info().drops;
    const gen = await d.run('open', rate, secs, rate > 5000 ? 2 : 1);
    await sleep(1500);
    emit({
      bench: 'event-to-database-latency',
      rate_per_s: rate,
      seconds: secs,
      generated: gen.open ?? null,
      stored: latencies.length,
      session_events: s.info().events,
      state: s.info().state,
      drops: s.info().drops - drops0,
      p50_ms: Math.round(pct(latencies, 50) * 10) / 10,
      p99_ms: Math.round(pct(latencies, 99) * 10) / 10,
      max_ms: Math.round(latencies.reduce((a, b) => Math.max(a, b), 0) * 10) / 10,
    });
  }
  await manager.stop(s.id);
  d.close();
}

async function benchSustained(): Promise<void> {
  const secs = opt('seconds', 5);
  const d = driver();
  const s = manager.start({ target: 'node', kinds: 'open,fork,exec,exit', pid: d.pid });
  await hello(s);
  let best = 0;
  for (const rate of [5000, 10000, 15000, 20000, 30000, 40000, 60000, 80000, 0]) {
    const from = maxSeq.get()!.m ?? 0;
    const drops0 = s.info().drops;
    const t0 = Date.now();
    const gen = await d.run('open', rate, secs, 2);
    const generated = gen.open ?? 0;
    // wait until the database caught up (or stopped moving)
    let last = -1;
    for (;;) {
      await sleep(500);
      const n = countOpens.get(from)!.n;
      if (n >= generated || n === last) break;
      last = n;
    }
    const stored = countOpens.get(from)!.n;
    const elapsed = (Date.now() - t0) / 1000;
    const drops = s.info().drops - drops0;
    emit({
      bench: 'sustained-through-ssh',
      asked_per_s: rate || 'max',
      generated,
      generated_per_s: Math.round(generated / secs),
      stored,
      stored_per_s_incl_catch_up: Math.round(stored / elapsed),
      drops,
    });
    if (drops === 0 && stored >= generated) best = Math.max(best, Math.round(generated / secs));
    else break;
  }
  emit({ bench: 'sustained-through-ssh-best', events_per_s_without_drops: best, seconds_per_step: secs });
  await manager.stop(s.id);
  d.close();
}

async function main(): Promise<void> {
  await setup();
  try {
    if (cmd === 'connect' || cmd === 'all') await benchConnect();
    if (cmd === 'latency' || cmd === 'all') await benchLatency();
    if (cmd === 'sustained' || cmd === 'all') await benchSustained();
  } finally {
    await manager.dispose();
    store.close();
    await node.stop();
    lab.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
