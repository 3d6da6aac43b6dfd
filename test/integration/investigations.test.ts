// The console knows the investigations it opened and those in its data directory, and switches
// between them through the API — never while something still writes to the current one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Core } from '../../electron/core/core';
import type { ApiResult, InvestigationEntry, PushName } from '../../shared/api';
import { openStore } from '../../electron/core/store/store';
import { importCapture } from '../../electron/core/capture/import';
import { replicate, readCaptureLines } from '../../bench/replicate';
import { SAMPLE, tempDir } from './store-harness';

let dir: string;
let cleanup: () => void;
let home: string;
const savedHome = process.env.XDG_DATA_HOME;

before(() => {
  ({ dir, cleanup } = tempDir('th-inv-'));
  home = join(dir, 'home');
  process.env.XDG_DATA_HOME = home;
});
after(() => {
  if (savedHome === undefined) delete process.env.XDG_DATA_HOME;
  else process.env.XDG_DATA_HOME = savedHome;
  cleanup();
});

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function importInto(path: string, capture: string): Promise<void> {
  const s = openStore(path);
  try {
    await importCapture(s, capture);
  } finally {
    s.close();
  }
}

test('list, open another, come back: views answer from the investigation in use', async () => {
  const first = join(dir, 'first.sqlite');
  const second = join(dir, 'second.db');
  await importInto(second, SAMPLE);
  const core = new Core({ version: 'test', transport: 'browser', databasePath: first });
  const pushed: Array<{ name: PushName; payload: unknown }> = [];
  core.bus.subscribe((name, payload) => pushed.push({ name, payload }));
  try {
    assert.equal(value<{ events: number }>(await core.call('overview', {})).events, 0);
    let list = value<InvestigationEntry[]>(await core.call('recentInvestigations', {}));
    assert.equal(list[0]!.path, first);
    assert.equal(list[0]!.current, true);

    assert.deepEqual(value(await core.call('openInvestigation', { path: second })), { database: second });
    assert.deepEqual(pushed.filter((p) => p.name === 'investigationChanged').map((p) => p.payload), [{ database: second }]);
    const o = value<{ events: number }>(await core.call('overview', {}));
    assert.equal(o.events, 1347, 'the second investigation answers');
    assert.equal(value<{ database: string }>(await core.call('appInfo', {})).database, second);

    list = value<InvestigationEntry[]>(await core.call('recentInvestigations', {}));
    const cur = list.find((i) => i.current)!;
    assert.equal(cur.path, second);
    assert.equal(cur.events, 1347);
    assert.equal(cur.captures, 1);
    assert.ok(cur.nodes.length === 1 && cur.nodes[0]!.length > 0);
    const old = list.find((i) => i.path === first)!;
    assert.equal(old.current, false);
    assert.equal(old.events, 0);
    assert.ok(old.lastOpened !== null && old.lastOpened <= Date.now());

    value(await core.call('openInvestigation', { path: first }));
    assert.equal(value<{ events: number }>(await core.call('overview', {})).events, 0);
  } finally {
    await core.dispose();
  }
});

test('what is not an investigation, or a switch while an import runs, is refused and changes nothing', async () => {
  const current = join(dir, 'current.sqlite');
  const big = join(dir, 'big.jsonl.gz');
  await replicate(readCaptureLines(SAMPLE), 60_000, big);
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'not a database');
  const fake = join(dir, 'fake.sqlite');
  writeFileSync(fake, 'SQLite format 3\0 but not really'.padEnd(4096, 'x'));
  const other = join(dir, 'other.sqlite');
  copyFileSync(join(dir, 'second.db'), other);
  const core = new Core({ version: 'test', transport: 'browser', databasePath: current });
  try {
    const refused = async (path: string, code: string, why: RegExp) => {
      const r = await core.call('openInvestigation', { path });
      assert.equal(r.ok, false, path);
      if (!r.ok) {
        assert.equal(r.error.code, code, r.error.message);
        assert.match(r.error.message, why);
      }
      assert.equal(value<{ database: string }>(await core.call('appInfo', {})).database, current, 'still the same investigation');
    };
    await refused(text, 'bad_request', /\.sqlite or \.db file/);
    await refused(join(dir, 'missing.sqlite'), 'bad_request', /no such file/);
    await refused(fake, 'bad_request', /fake\.sqlite/);
    // another program's SQLite database is not migrated into an investigation
    const foreign = join(dir, 'places.sqlite');
    const f = new Database(foreign);
    f.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.org')");
    f.close();
    const before = readFileSync(foreign);
    await refused(foreign, 'bad_request', /another program, not a Tracehound investigation/);
    assert.ok(readFileSync(foreign).equals(before), 'left byte for byte as it was');
    // the current one still answers after the failed switch
    value(await core.call('overview', {}));

    const { job } = value<{ job: string }>(await core.call('importCapture', { path: big }));
    await refused(other, 'unavailable', /running: let it finish or cancel it first/);
    value(await core.call('cancelJob', { job }));
    for (let i = 0; i < 200 && value<Array<{ state: string }>>(await core.call('jobs', {})).some((j) => j.state === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    value(await core.call('openInvestigation', { path: other }));
    assert.equal(value<{ events: number }>(await core.call('overview', {})).events, 1347);
  } finally {
    await core.dispose();
  }
});
