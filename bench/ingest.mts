// Ingest benchmark, side by side in one run on the same 1M-event capture (a real recording,
// replicated with shifted pids and times — see bench/replicate.ts):
//   pipeline: the full import (gunzip, split, parse, validate, process bookkeeping, insert, indexes)
//   bare:     the same rows, already computed, inserted with one prepared statement into the same schema
// Also: time to the first events page and tree while the import runs, import time, peak RSS,
// event-loop stalls, page fetch by time key at several depths, database size.
//   node --import tsx bench/ingest.mts [events=1000000]
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openStore } from '../electron/core/store/store';
import { DEFERRABLE_INDEXES, dropDeferrableIndexes } from '../electron/core/store/indexes';
import { importCapture } from '../electron/core/capture/import';
import { eventsPage } from '../electron/core/store/queries/events';
import { processRoots } from '../electron/core/store/queries/processes';
import { replicate, readCaptureLines } from './replicate';

const N = Number(process.argv[2] ?? 1_000_000);
const dir = '/tmp/tracehound-bench';
mkdirSync(dir, { recursive: true });
const capture = join(dir, `capture-${N}.jsonl.gz`);
if (!existsSync(capture)) {
  const t = Date.now();
  await replicate(readCaptureLines('assets/sample-capture.jsonl.gz'), N, capture);
  console.error(`generated ${capture} in ${Date.now() - t} ms`);
}
const fresh = (name: string) => {
  const p = join(dir, name);
  for (const s of ['', '-wal', '-shm']) rmSync(p + s, { force: true });
  return p;
};

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

// --- pipeline, parsing in this thread and in a worker thread ------------------------------------
async function pipeline(name: string, worker: boolean, bulk = true) {
  const store = openStore(fresh(`${name}.db`));
  const loop = monitorEventLoopDelay({ resolution: 5 });
  peakRss = 0;
  loop.enable();
  const t0 = performance.now();
  let firstShown = null as number | null;
  const probe = setInterval(() => {
    if (firstShown !== null) return;
    const page = eventsPage(store.db, { limit: 100 });
    const roots = processRoots(store.db, {});
    if (page.rows.length === 100 && roots.length > 0) firstShown = performance.now() - t0;
  }, 10);
  let readMs: number | null = null;
  const r = await importCapture(store, capture, {
    worker,
    bulk,
    onProgress: (p) => {
      if (p.phase === 'indexing' && readMs === null) readMs = performance.now() - t0;
    },
  });
  const ms = performance.now() - t0;
  clearInterval(probe);
  loop.disable();
  return { store, r, ms, rate: r.stats.events / (ms / 1000), firstShown, loop, rss: peakRss, readMs: readMs as number | null };
}
const inline = await pipeline('inline', false);
inline.store.close();
const live = await pipeline('live-indexes', true, false);
live.store.close();
const worker = await pipeline('pipeline', true);
const { store, r } = worker;
const pipelineMs = worker.ms;
const pipelineRate = worker.rate;
const firstShown = worker.firstShown;
const loop = worker.loop;
const importRss = worker.rss;

// page fetch by time key at several depths (keyset: never OFFSET)
const span = store.db.prepare('SELECT (SELECT min(t) FROM events) lo, (SELECT max(t) FROM events) hi').get() as { lo: number; hi: number };
const pageTimes: Array<[string, number]> = [];
for (const depth of [0, 0.25, 0.5, 0.75, 0.999]) {
  const from = Math.floor(span.lo + (span.hi - span.lo) * depth);
  const s = performance.now();
  for (let i = 0; i < 20; i++) eventsPage(store.db, { from, limit: 100 });
  pageTimes.push([`${depth * 100}%`, (performance.now() - s) / 20]);
}
const mid = eventsPage(store.db, { from: Math.floor((span.lo + span.hi) / 2), limit: 100 });
let s = performance.now();
for (let i = 0; i < 20; i++) eventsPage(store.db, { after: mid.next!, limit: 100 });
const afterMs = (performance.now() - s) / 20;
s = performance.now();
for (let i = 0; i < 20; i++) eventsPage(store.db, { before: mid.prev!, limit: 100 });
const beforeMs = (performance.now() - s) / 20;
s = performance.now();
for (let i = 0; i < 5; i++) eventsPage(store.db, { kinds: ['exec'], from: Math.floor((span.lo + span.hi) / 2), limit: 100 });
const kindMs = (performance.now() - s) / 5;
store.db.pragma('wal_checkpoint(TRUNCATE)');
const dbBytes = statSync(store.path).size;

// --- bare: the rows the pipeline stored, re-inserted with prepared statements -------------------
// (a) the textbook loop: one row per statement, 2,000 rows per transaction, every index live;
// (b) the same statement form and index strategy as the pipeline: 32 rows per INSERT, 8,000 rows
//     per transaction, the three secondary event indexes created after the rows (timed).
const rows = store.db.prepare('SELECT seq, t, kind, node, capture, proc, pid, container, data FROM events ORDER BY seq').raw().all() as unknown[][];
store.close();
function bareInsert(name: string, perStatement: number, perTxn: number, deferIndexes: boolean) {
  const bare = openStore(fresh(name));
  if (deferIndexes) dropDeferrableIndexes(bare.db);
  const values = Array<string>(perStatement).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  const ins = bare.db.prepare(`INSERT INTO events (seq, t, kind, node, capture, proc, pid, container, data) VALUES ${values}`);
  const one = bare.db.prepare('INSERT INTO events (seq, t, kind, node, capture, proc, pid, container, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const args: unknown[] = new Array(perStatement * 9);
  const t0 = performance.now();
  const batch = bare.db.transaction((from: number) => {
    const end = Math.min(from + perTxn, rows.length);
    let i = from;
    for (; i + perStatement <= end; i += perStatement) {
      for (let r = 0; r < perStatement; r++) {
        const row = rows[i + r]!;
        for (let c = 0; c < 9; c++) args[r * 9 + c] = row[c];
      }
      ins.run(args);
    }
    for (; i < end; i++) one.run(rows[i]!);
  });
  for (let i = 0; i < rows.length; i += perTxn) batch(i);
  const insertMs = performance.now() - t0;
  const ti = performance.now();
  if (deferIndexes) for (const x of DEFERRABLE_INDEXES) bare.db.exec(x.sql);
  const indexMs = performance.now() - ti;
  bare.close();
  const ms = performance.now() - t0;
  return { ms, insertMs, indexMs, rate: rows.length / (ms / 1000) };
}
const bareA = bareInsert('bare.db', 1, 2000, false);
const bareB = bareInsert('bare-bulk.db', 32, 8000, true);
const bareMs = bareA.ms;
clearInterval(rssTimer);

const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
console.log(JSON.stringify({ events: r.stats.events, state: r.state }, null, 0));
console.log(`pipeline (worker parses): ${pipelineMs.toFixed(0)} ms, ${Math.round(pipelineRate)} events/s`);
console.log(`pipeline (inline parse): ${inline.ms.toFixed(0)} ms, ${Math.round(inline.rate)} events/s; first page ${inline.firstShown?.toFixed(0)} ms; loop p99 ${(inline.loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(inline.loop.max / 1e6).toFixed(1)} ms; peak RSS ${mb(inline.rss)} MiB`);
console.log(`pipeline phases (worker): rows in after ${worker.readMs?.toFixed(0)} ms, indexes built in ${worker.readMs ? (pipelineMs - worker.readMs).toFixed(0) : '—'} ms`);
console.log(`pipeline without deferred indexes (bulk off, worker): ${live.ms.toFixed(0)} ms, ${Math.round(live.rate)} events/s`);
console.log(`bare insert (a) row by row, indexes live: ${bareMs.toFixed(0)} ms, ${Math.round(bareA.rate)} events/s`);
console.log(`bare insert (b) 32 rows per statement, indexes after: ${bareB.ms.toFixed(0)} ms (rows ${bareB.insertMs.toFixed(0)} + indexes ${bareB.indexMs.toFixed(0)}), ${Math.round(bareB.rate)} events/s`);
const pct = (x: number, y: number) => `${((x / y) * 100).toFixed(0)}%`;
console.log(`pipeline / bare (a): worker ${pct(pipelineRate, bareA.rate)}, inline ${pct(inline.rate, bareA.rate)}; pipeline / bare (b): worker ${pct(pipelineRate, bareB.rate)}, inline ${pct(inline.rate, bareB.rate)}`);
console.log(`first events page + process tree shown after: ${firstShown?.toFixed(0)} ms`);
console.log(`event loop delay during import: p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`);
console.log(`peak RSS during import: ${mb(importRss)} MiB (capture ${mb(statSync(capture).size)} MiB compressed)`);
console.log(`page by time key: ${pageTimes.map(([d, ms]) => `${d} ${ms.toFixed(2)} ms`).join(', ')}`);
console.log(`page after cursor ${afterMs.toFixed(2)} ms, before cursor ${beforeMs.toFixed(2)} ms, exec-only page ${kindMs.toFixed(2)} ms`);
console.log(`database size: ${mb(dbBytes)} MiB for ${r.stats.events} events (${mb((dbBytes / r.stats.events) * 1e6)} MiB per million)`);
