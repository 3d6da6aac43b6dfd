// Playback at a multiple of the original pace follows the capture's own clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importCapture } from '../../electron/core/capture/import';
import { SAMPLE, sampleLines, tempStore } from './store-harness';

test('replay at 20x the original pace takes the capture span / 20', async () => {
  const ts = sampleLines().parsed.map((e) => e.ts).filter((t): t is number => typeof t === 'number');
  const spanMs = (Math.max(...ts) - Math.min(...ts)) / 1e6;
  assert.ok(spanMs > 5000, `the sample spans ${spanMs} ms`);
  const s = tempStore();
  try {
    const seen: number[] = [];
    const t0 = Date.now();
    const r = await importCapture(s.store, SAMPLE, { speed: 20, onCommit: (st) => seen.push(st.events) });
    const took = Date.now() - t0;
    assert.equal(r.state, 'complete');
    assert.ok(took >= spanMs / 20 * 0.9, `took ${took} ms for ${spanMs / 20} ms of paced events`);
    assert.ok(took < spanMs / 20 + 5000, `took ${took} ms`);
    assert.ok(seen.length >= 5, `events arrive over time, in ${seen.length} commits`);
  } finally {
    s.cleanup();
  }
});
