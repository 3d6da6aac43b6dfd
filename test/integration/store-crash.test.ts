// kill -9 during an import loses nothing that was committed and the import resumes exactly;
// a capture writer killed mid-stream leaves a file that reads up to the cut.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importCapture } from '../../electron/core/capture/import';
import { overview, databaseInfo } from '../../electron/core/store/queries/overview';
import { openStore } from '../../electron/core/store/store';
import { missingIndexes } from '../../electron/core/store/indexes';
import { replicate, readCaptureLines } from '../../bench/replicate';
import { ROOT, SAMPLE, tempDir } from './store-harness';

let dir: string;
let cleanup: () => void;
let big: string;
const TOTAL = 150_000;

before(async () => {
  ({ dir, cleanup } = tempDir());
  big = join(dir, 'big.jsonl.gz');
  await replicate(readCaptureLines(SAMPLE), TOTAL, big);
});
after(() => cleanup());

function child(script: string, args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/integration', script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('kill -9 during import: committed events stay, the import resumes without duplicates', async () => {
  const dbPath = join(dir, 'killed.db');
  const p = child('store-crash-child.mts', [dbPath, big]);
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  const exited = new Promise((r) => p.on('exit', r));
  // wait until a few batches are committed, as seen by another connection
  let seen = 0;
  for (let i = 0; i < 300 && seen < 20_000; i++) {
    await sleep(20);
    try {
      const ro = new Database(dbPath, { readonly: true, fileMustExist: true });
      seen = (ro.prepare('SELECT coalesce(max(events), 0) FROM captures').pluck().get() as number) ?? 0;
      ro.close();
    } catch {
      // not created yet
    }
  }
  assert.ok(seen > 0, `import made progress: ${err}`);
  p.kill('SIGKILL');
  await exited;
  // the import was a bulk one: it ran without the secondary event indexes
  const ro = new Database(dbPath, { readonly: true, fileMustExist: true });
  const before = ro.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").pluck().all();
  ro.close();
  assert.ok(!before.includes('events_kind_t'), `killed during a bulk import (indexes: ${before.join(', ')})`);

  const store = openStore(dbPath);
  try {
    // opening builds them again, in the background
    await store.whenWritable();
    assert.deepEqual(missingIndexes(store.db), [], 'indexes built again on open');
    const cap = store.db.prepare('SELECT state, events, lines_done FROM captures').get() as { state: string; events: number; lines_done: number };
    assert.equal(cap.state, 'importing', 'killed mid-way');
    assert.ok(cap.events < TOTAL, `killed before the end (${cap.events})`);
    const stored = store.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    assert.equal(stored, cap.events, 'the recorded progress is exactly what was committed');
    assert.equal(cap.lines_done, cap.events + 1, 'header + one line per event');

    // a minute without commits: shown as interrupted, not as a running import
    store.db.prepare('UPDATE captures SET updated_at = updated_at - 120000').run();
    const shown = databaseInfo(store).captures[0]!;
    assert.equal(shown.state, 'interrupted');
    assert.match(shown.reason!, /interrupted after line \d+/);
    assert.equal(overview(store).importing, 0);

    const r = await importCapture(store, big);
    assert.equal(r.state, 'complete');
    assert.equal(overview(store).events, TOTAL, 'resumed: every event once');
    const dup = store.db.prepare('SELECT count(*) FROM (SELECT data FROM events GROUP BY data HAVING count(*) > 1)').pluck().get() as number;
    assert.equal(dup, 0, 'no line stored twice');
  } finally {
    store.close();
  }
});

test('a capture writer killed mid-stream leaves a file readable up to the cut', async () => {
  const out = join(dir, 'live.jsonl.gz');
  const p = child('capture-writer-child.mts', [SAMPLE, out]);
  const exited = new Promise((r) => p.on('exit', r));
  await new Promise<void>((r) => p.stdout.once('data', () => r()));
  await sleep(2600);
  p.kill('SIGKILL');
  await exited;
  const lines = readCaptureLines(SAMPLE).slice(1);
  const store = openStore(join(dir, 'live.db'));
  try {
    const r = await importCapture(store, out);
    assert.equal(r.state, 'truncated', 'no gzip trailer: the writer never closed');
    assert.ok(r.info.header, 'the header came first');
    const n = overview(store).events;
    // 4000 lines a second, flushed every second: at least the first second is readable
    assert.ok(n >= 2000, `${n} lines readable`);
    const stored = store.db.prepare('SELECT data FROM events ORDER BY seq').pluck().all() as string[];
    stored.forEach((data, i) => assert.equal(data, lines[i % lines.length], `line ${i + 2} is the line written`));
  } finally {
    store.close();
  }
});
