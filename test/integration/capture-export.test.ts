// Export of a process subtree and of a time range: exactly the selected events, importable alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { importCapture } from '../../electron/core/capture/import';
import { exportCapture } from '../../electron/core/capture/export';
import { eventsPage, eventDetail } from '../../electron/core/store/queries/events';
import { processSearch } from '../../electron/core/store/queries/processes';
import type { Store } from '../../electron/core/store/store';
import { SAMPLE, tempStore } from './store-harness';

let src: ReturnType<typeof tempStore>;
let store: Store;

before(async () => {
  src = tempStore();
  store = src.store;
  await importCapture(store, SAMPLE);
});
after(() => src.cleanup());

const datas = (s: Store, rows: Array<{ seq: number }>) => rows.map((r) => JSON.stringify(eventDetail(s.db, r.seq)!.data));

test('a process subtree exports its events and nothing else', async () => {
  const [hit] = processSearch(store.db, 'httpd -f');
  const id = hit!.process.id;
  const selected = eventsPage(store.db, { process: id, subtree: true, limit: 5000 }).rows;
  const out = join(src.dir, 'subtree.jsonl.gz');
  const r = await exportCapture(store, { path: out, process: id });
  assert.equal(r.events, selected.length);
  const dst = tempStore();
  try {
    const imp = await importCapture(dst.store, out);
    assert.equal(imp.state, 'complete');
    assert.equal(imp.stats.badLines, 0);
    const got = eventsPage(dst.store.db, { limit: 5000 }).rows.filter((x) => x.kind !== 'hello');
    const want = new Set(datas(store, selected));
    const gotData = datas(dst.store, got);
    assert.ok(gotData.every((d) => want.has(d) || d.includes('"kind":"container"')), 'nothing outside the subtree but the container description');
    for (const d of want) assert.ok(gotData.includes(d), 'every event of the subtree');
  } finally {
    dst.cleanup();
  }
});

test('a time range exports [from, to) with the same wall-clock times', async () => {
  const all = eventsPage(store.db, { limit: 5000 }).rows;
  const from = all[Math.floor(all.length / 3)]!.t;
  const to = all[Math.floor((2 * all.length) / 3)]!.t;
  const selected = all.filter((x) => x.t >= from && x.t < to);
  const out = join(src.dir, 'range.jsonl.gz');
  const r = await exportCapture(store, { path: out, from, to });
  assert.equal(r.events, selected.length);
  const dst = tempStore();
  try {
    await importCapture(dst.store, out);
    // the container description leads the file whatever its time; within [from, to) all is equal
    const got = eventsPage(dst.store.db, { from, to, limit: 5000 }).rows.filter((x) => x.kind !== 'hello');
    assert.deepEqual(got.map((x) => x.t), selected.map((x) => x.t));
    await assert.rejects(exportCapture(store, { path: out }), /EEXIST/, 'never overwrites');
  } finally {
    dst.cleanup();
  }
});
