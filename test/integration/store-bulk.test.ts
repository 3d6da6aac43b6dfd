// A large import leaves the secondary event indexes out and builds them at the end: the database
// it leaves is the same, row for row, as an import that kept every index up to date; queries
// answer correctly while the indexes are out; other writers wait for the build instead of failing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { importCapture } from '../../electron/core/capture/import';
import { eventsPage } from '../../electron/core/store/queries/events';
import { openStore, type Store } from '../../electron/core/store/store';
import { DEFERRABLE_INDEXES, missingIndexes } from '../../electron/core/store/indexes';
import { Ingest } from '../../electron/core/ingest/ingest';
import { replicate, readCaptureLines } from '../../bench/replicate';
import { SAMPLE, tempDir } from './store-harness';

let dir: string;
let cleanup: () => void;
let big: string;
const BIG = 150_000;

before(async () => {
  ({ dir, cleanup } = tempDir('th-bulk-'));
  big = join(dir, 'big.jsonl.gz');
  await replicate(readCaptureLines(SAMPLE), BIG, big);
});
after(() => cleanup());

const TABLES: Record<string, string> = {
  events: 'SELECT seq, t, kind, node, capture, proc, pid, container, data FROM events ORDER BY seq',
  processes: 'SELECT * FROM processes ORDER BY id',
  containers: 'SELECT * FROM containers ORDER BY id',
  container_activity: 'SELECT * FROM container_activity ORDER BY container, second',
  kind_counts: 'SELECT * FROM kind_counts ORDER BY kind',
  syscall_sets: 'SELECT * FROM syscall_sets ORDER BY node, cgroup, arch, phase, nr',
  alerts: 'SELECT id, t, rule, severity, proc, container, event, detail FROM alerts ORDER BY id',
};

function indexNames(store: Store): string[] {
  return (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").pluck().all() as string[]);
}

test('a bulk import leaves the same rows as an import that kept its indexes, and ends with every index', async () => {
  const bulk = openStore(join(dir, 'bulk.db'));
  const plain = openStore(join(dir, 'plain.db'));
  try {
    const missingDuring: number[] = [];
    const r1 = await importCapture(bulk, big, {
      onCommit: () => missingDuring.push(missingIndexes(bulk.db).length),
    });
    const r2 = await importCapture(plain, big, { bulk: false, onCommit: () => missingDuring.push(-missingIndexes(plain.db).length) });
    assert.equal(r1.state, 'complete');
    assert.equal(r2.state, 'complete');
    assert.equal(r1.stats.events, BIG);
    assert.ok(missingDuring.includes(DEFERRABLE_INDEXES.length), 'the bulk import ran without the secondary indexes');
    assert.ok(!missingDuring.some((n) => n < 0), 'the plain import kept them');
    assert.deepEqual(missingIndexes(bulk.db), [], 'built again at the end');
    assert.deepEqual(indexNames(bulk), indexNames(plain));
    for (const [table, sql] of Object.entries(TABLES)) {
      const a = bulk.db.prepare(sql).raw().all();
      const b = plain.db.prepare(sql).raw().all();
      assert.equal(a.length, b.length, `${table}: same number of rows`);
      assert.deepEqual(a, b, `${table}: same rows`);
    }
    // evidence of each alert is the event that triggered it
    const bad = bulk.db
      .prepare('SELECT count(*) FROM alerts a LEFT JOIN events e ON e.seq = a.event WHERE e.seq IS NULL OR e.t != a.t')
      .pluck()
      .get() as number;
    assert.equal(bad, 0, 'every alert points at its event');
    const plan = bulk.db.prepare("EXPLAIN QUERY PLAN SELECT seq FROM events WHERE kind = 'exec' ORDER BY t LIMIT 10").all() as Array<{ detail: string }>;
    assert.match(plan.map((p) => p.detail).join(' '), /events_kind_t/, 'kind filters use their index again');
  } finally {
    bulk.close();
    plain.close();
  }
});

test('while the indexes are out, filtered pages are still right', async () => {
  const store = openStore(join(dir, 'during.db'));
  try {
    const checks: string[] = [];
    await importCapture(store, big, {
      onCommit: (s) => {
        if (checks.length >= 3 || s.events < 20_000 || missingIndexes(store.db).length === 0) return;
        const page = eventsPage(store.db, { kinds: ['exec'], limit: 50 });
        const direct = store.db.prepare("SELECT seq FROM events WHERE kind = 'exec' ORDER BY t, seq LIMIT 50").pluck().all();
        assert.deepEqual(page.rows.map((r) => r.seq), direct);
        assert.equal(page.rows.length, 50);
        checks.push(`at ${s.events}`);
      },
    });
    assert.equal(checks.length, 3, `checked mid-import: ${checks.join(', ')}`);
  } finally {
    store.close();
  }
});

test('a small import into a larger database keeps its indexes up to date instead', async () => {
  const store = openStore(join(dir, 'bulk.db'));
  try {
    const dropped: number[] = [];
    const r = await importCapture(store, SAMPLE, { onCommit: () => dropped.push(missingIndexes(store.db).length) });
    assert.equal(r.state, 'complete');
    assert.ok(dropped.length > 0);
    assert.deepEqual([...new Set(dropped)], [0]);
  } finally {
    store.close();
  }
});

test('a live stream that starts while the indexes are being built waits for them and loses nothing', async () => {
  const store = openStore(join(dir, 'concurrent.db'));
  const lines = gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').filter((l) => l.length > 0);
  try {
    let live: Ingest | null = null;
    let sawBuild = false;
    const commitsDuringBuild: boolean[] = [];
    const imported = importCapture(store, big, {
      onProgress: (p) => {
        if (p.phase !== 'indexing' || live) return;
        // a session connecting as the build starts: its events are writes
        live = new Ingest(store, {
          source: 'live',
          ident: 'live-during-build',
          flushMs: 5,
          onCommit: () => commitsDuringBuild.push(store.indexingNow),
        });
        for (const l of lines.slice(1)) live.writeLine(l);
        live.end();
        setImmediate(() => (sawBuild = store.indexingNow));
      },
    });
    const r = await imported;
    assert.equal(r.state, 'complete');
    assert.ok(live, 'the build started');
    assert.ok(sawBuild, 'the build ran in the background while the stream wrote');
    const stats = await (live as unknown as Ingest).finished();
    assert.ok(commitsDuringBuild.length > 0);
    assert.ok(!commitsDuringBuild.includes(true), 'the stream committed only once the build was done');
    assert.equal(stats.badLines, 0);
    assert.equal(stats.events, lines.length - 1);
    const total = store.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    assert.equal(total, BIG + lines.length - 1, 'both sources stored in full');
    const seqs = store.db.prepare('SELECT count(DISTINCT seq) FROM events').pluck().get() as number;
    assert.equal(seqs, total);
    assert.deepEqual(missingIndexes(store.db), []);
  } finally {
    store.close();
  }
});
