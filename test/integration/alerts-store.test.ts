/**
 * Alerts through the real ingest pipeline (parse worker, batches, SQLite file) must be the ones
 * the detector raises on the same lines read directly: the store must not starve the rules of
 * the fields they read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Detector } from '../../electron/core/detect';
import { listAlerts } from '../../electron/core/detect/queries';
import { importCapture } from '../../electron/core/capture/import';
import { openStore } from '../../electron/core/store/store';
import { sampleCapture } from '../../electron/core/paths';
import { parseLine } from '../../shared/events';

test('alerts stored by an import equal the detector on the raw lines, with evidence rows', async () => {
  const file = sampleCapture(join(__dirname, '..', '..'))!;
  const direct = new Detector();
  gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .forEach((l, i) => {
      const c = parseLine(l);
      if (c.ok) direct.observe(c.event, i + 1);
    });
  const dir = mkdtempSync(join(tmpdir(), 'th-alerts-'));
  const store = openStore(join(dir, 'inv.sqlite'));
  try {
    const r = await importCapture(store, file);
    assert.equal(r.state, 'complete');
    const stored = listAlerts(store.db, { limit: 1000 });
    const key = (a: { rule: string; pid: number | null; message: string }) => `${a.rule}|${a.pid}|${a.message}`;
    assert.deepEqual(stored.map(key).sort(), direct.alerts().map(key).sort());
    assert.ok(stored.length >= 5);
    for (const a of stored) {
      const ev = store.db.prepare<[number], { pid: number; kind: string }>('SELECT pid, kind FROM events WHERE seq = ?').get(a.evidence[0]!);
      assert.ok(ev, `evidence ${a.evidence[0]} of ${a.rule} is a stored event`);
      assert.equal(ev.pid, a.pid);
      assert.ok(a.proc !== null, 'alert linked to its process row');
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
