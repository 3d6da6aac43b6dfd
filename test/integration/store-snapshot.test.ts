// A real host recording with the /proc snapshot: snapshot processes (start in clock ticks) and
// their eBPF events (start in ns) are one process each, and every tree is whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { importCapture } from '../../electron/core/capture/import';
import { processAncestors } from '../../electron/core/store/queries/processes';
import { ROOT, tempStore } from './store-harness';

const FIXTURE = join(ROOT, 'test/fixtures/host-snapshot-2s.jsonl.gz');

test('snapshot and live events of the same process are one row; trees are whole', async () => {
  const lines = gunzipSync(readFileSync(FIXTURE)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, number | string>);
  const snap = lines.filter((l) => l.kind === 'proc');
  const s = tempStore();
  try {
    const r = await importCapture(s.store, FIXTURE);
    assert.equal(r.state, 'complete');
    assert.equal(r.stats.badLines, 0);
    const db = s.store.db;
    assert.equal(db.prepare("SELECT count(*) FROM processes WHERE origin = 'proc'").pluck().get(), snap.length);
    // snapshot processes that also did something live: still one row per (pid, start tick)
    const live = lines.filter((l) => l.kind !== 'proc' && typeof l.pid === 'number');
    const both = snap.filter((p) => live.some((l) => l.pid === p.pid && Math.floor(Number(l.start) / 1e7) === Math.floor(Number(p.start) / 1e7)));
    assert.ok(both.length > 0, 'some snapshot processes act during the recording');
    for (const p of both) {
      const rows = db.prepare('SELECT origin FROM processes WHERE pid = ? AND start_key = ?').pluck().all(p.pid, Math.floor(Number(p.start) / 1e7));
      assert.deepEqual(rows, ['proc'], `pid ${p.pid}: one row, from the snapshot`);
    }
    // a fork of a snapshot process hangs under it (pstart in ns meets start in ticks)
    const forks = lines.filter((l) => l.kind === 'fork' && snap.some((p) => p.pid === l.ppid));
    assert.ok(forks.length > 0);
    for (const f of forks) {
      const parent = db.prepare('SELECT p.origin FROM processes c JOIN processes p ON p.id = c.parent WHERE c.pid = ? AND c.start = ?').pluck().get(f.pid, f.start);
      assert.equal(parent, 'proc', `fork ${f.pid} under its snapshot parent ${f.ppid}`);
    }
    assert.equal(db.prepare('SELECT count(*) FROM processes WHERE ppid > 0 AND parent IS NULL').pluck().get(), 0, 'no process without its parent row');
    const deepest = db.prepare('SELECT id FROM processes ORDER BY first_t DESC LIMIT 1').pluck().get() as number;
    const chain = processAncestors(db, deepest);
    assert.ok(chain.length === 0 || chain[0]!.parent === null, 'ancestors end at a root');
  } finally {
    s.cleanup();
  }
});
