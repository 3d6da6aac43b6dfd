// Cut, damaged and hostile capture files: everything before the damage is kept, bad lines are
// counted and reported by number, unknown kinds and fields survive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importCapture } from '../../electron/core/capture/import';
import { eventsPage, eventDetail } from '../../electron/core/store/queries/events';
import { overview } from '../../electron/core/store/queries/overview';
import { SAMPLE, sampleLines, tempDir, tempStore } from './store-harness';

let dir: string;
let cleanup: () => void;
const { raw } = sampleLines();

before(() => ({ dir, cleanup } = tempDir()));
after(() => cleanup());

test('a cut gzip capture imports up to the cut and says where', async () => {
  const whole = readFileSync(SAMPLE);
  const cutFile = join(dir, 'cut.jsonl.gz');
  writeFileSync(cutFile, whole.subarray(0, Math.floor(whole.length * 0.55)));
  const s = tempStore();
  try {
    const r = await importCapture(s.store, cutFile);
    assert.equal(r.state, 'truncated');
    assert.match(r.reason!, /cut at compressed byte \d+ of \d+/);
    assert.match(r.reason!, /line \d+ was cut after \d+ bytes/);
    const n = overview(s.store).events;
    assert.ok(n > 100 && n < raw.length - 1, `${n} events kept of ${raw.length - 1}`);
    // what was kept is exactly the first n lines after the header
    const rows = eventsPage(s.store.db, { limit: 5000 }).rows;
    const kept = new Set(rows.map((x) => JSON.stringify(eventDetail(s.store.db, x.seq)!.data)));
    for (const line of raw.slice(1, n + 1)) assert.ok(kept.has(JSON.stringify(JSON.parse(line))));
    assert.equal(r.stats.badLines, 0, 'the cut line is not a bad line: its rest may still come');
  } finally {
    s.cleanup();
  }
});

test('damaged compressed data stops the import there, with what came before kept', async () => {
  const whole = Buffer.from(readFileSync(SAMPLE));
  const at = Math.floor(whole.length * 0.7);
  for (let i = at; i < at + 64; i++) whole[i] = whole[i]! ^ 0x5a;
  const f = join(dir, 'damaged.jsonl.gz');
  writeFileSync(f, whole);
  const s = tempStore();
  try {
    const r = await importCapture(s.store, f);
    assert.equal(r.state, 'truncated');
    assert.match(r.reason!, /damaged data at compressed byte/);
    assert.ok(overview(s.store).events > 100);
  } finally {
    s.cleanup();
  }
});

test('bad lines are counted with their numbers; the rest, unknown kinds and fields are kept', async () => {
  const body = raw.slice(1);
  const lines = [raw[0]!, ...body.slice(0, 10)];
  const bad: Array<[string, RegExp]> = [
    ['{"kind":"exec","ts":1,', /invalid JSON/],
    ['[1,2,3]', /expected a JSON object/],
    [JSON.stringify({ ...JSON.parse(body[20]!), pid: 'twelve' }), /expected integer/],
    [JSON.stringify({ kind: 'open', ts: 5, pid: 1 }), /missing required field/],
    ['{"kind":"open","path":"' + 'A'.repeat(1024 * 1024 + 10) + '"}', /longer than the limit/],
  ];
  const badAt: number[] = [];
  for (const [l] of bad) {
    lines.push(l);
    badAt.push(lines.length);
  }
  const future = { ...JSON.parse(body[30]!), kind: 'bpf_prog_load', prog: 'x' };
  lines.push(JSON.stringify(future));
  const futureAt = lines.length;
  const extra = { ...JSON.parse(body.find((l) => l.includes('"kind":"exec"'))!), new_field: { deep: [1, 2] } };
  lines.push(JSON.stringify(extra));
  lines.push(...body.slice(10, 200));
  const f = join(dir, 'hostile.jsonl.gz');
  writeFileSync(f, gzipSync(lines.join('\n') + '\n'));
  const s = tempStore();
  try {
    const r = await importCapture(s.store, f);
    assert.equal(r.state, 'complete');
    assert.equal(r.stats.badLines, bad.length);
    assert.equal(r.stats.unknownKinds, 1);
    const reported = r.stats.firstBadLines;
    bad.forEach(([, re], i) => {
      const b = reported.find((x) => x.line === badAt[i]);
      assert.ok(b, `line ${badAt[i]} reported`);
      assert.match(b.message, re);
    });
    assert.ok(reported.find((b) => b.line === futureAt && /kept/.test(b.message)));
    assert.equal(overview(s.store).events, 10 + 2 + 190);
    const stored = s.store.db.prepare('SELECT line, field FROM bad_lines ORDER BY line').all() as Array<{ line: number; field: string }>;
    assert.deepEqual(stored.map((x) => x.line), [...badAt, futureAt]);
    assert.equal(stored.find((x) => x.line === badAt[2])!.field, 'pid');
    const fut = eventsPage(s.store.db, { kinds: ['bpf_prog_load'] }).rows[0]!;
    assert.equal(eventDetail(s.store.db, fut.seq)!.data.prog, 'x');
    const ex = eventsPage(s.store.db, { text: 'new_field' }).rows[0]!;
    assert.deepEqual(eventDetail(s.store.db, ex.seq)!.data.new_field, { deep: [1, 2] });
  } finally {
    s.cleanup();
  }
});

test('plain collector output (no header, not compressed) imports too', async () => {
  const f = join(dir, 'plain.jsonl');
  writeFileSync(f, raw.slice(1).join('\n') + '\n');
  const s = tempStore();
  try {
    const r = await importCapture(s.store, f);
    assert.equal(r.state, 'complete');
    assert.equal(r.info.header, null);
    assert.equal(overview(s.store).events, raw.length - 1);
  } finally {
    s.cleanup();
  }
});

test('a zstd file or a bad header is refused with a message naming the file', async () => {
  const z = join(dir, 'x.zst');
  writeFileSync(z, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
  const h = join(dir, 'badheader.jsonl');
  writeFileSync(h, '{"tracehound_capture":1,"id":"x","created":"now"}\n');
  const s = tempStore();
  try {
    await assert.rejects(importCapture(s.store, z), /x\.zst: zstd-compressed/);
    await assert.rejects(importCapture(s.store, h), /badheader\.jsonl: line 1: capture header: id:/);
  } finally {
    s.cleanup();
  }
});

test('a stream naming a new container or kind on every line stays bounded and exact', async () => {
  const exec = JSON.parse(raw.find((l) => l.includes('"kind":"exec"') && l.includes('"cid"'))!);
  const lines: string[] = [raw[0]!];
  for (let i = 0; i < 12_000; i++) lines.push(JSON.stringify({ ...exec, cid: `c${i}`, pid: 100 + (i % 5000) }));
  for (let i = 0; i < 300; i++) lines.push(JSON.stringify({ kind: `future_${i}`, ts: 1 }));
  lines.push(JSON.stringify({ ...exec, cid: 'c7' }));
  const f = join(dir, 'many.jsonl.gz');
  writeFileSync(f, gzipSync(lines.join('\n') + '\n'));
  const s = tempStore();
  try {
    const r = await importCapture(s.store, f);
    assert.equal(r.state, 'complete');
    assert.equal(s.store.db.prepare('SELECT count(*) FROM containers').pluck().get(), 12_000);
    assert.equal(s.store.db.prepare("SELECT events FROM containers WHERE cid = 'c7'").pluck().get(), 2, 'counts survive the cache eviction');
    const o = overview(s.store);
    assert.equal(o.events, 12_301);
    assert.ok(Object.keys(o.kinds).length <= 100);
    assert.equal(r.stats.unknownKinds, 300);
  } finally {
    s.cleanup();
  }
});
