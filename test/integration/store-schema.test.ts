// Migrations on real database files: a new file gets the current schema, a reopened one keeps its
// data, a database from a newer Tracehound is refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, SchemaTooNewError } from '../../electron/core/store/db';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations';
import * as m0001 from '../../electron/core/store/migrations/0001-initial';
import { tempDir } from './store-harness';

test('create, reopen, and refuse a newer schema', () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'a.db');
    const db = openDatabase(path);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.prepare("INSERT INTO nodes (boot_id, hostname, hello) VALUES ('b', 'h', '{}')").run();
    db.close();
    const again = openDatabase(path);
    assert.equal(again.prepare('SELECT count(*) FROM nodes').pluck().get(), 1);
    again.close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    assert.throws(() => openDatabase(path), (e: unknown) => e instanceof SchemaTooNewError && /a\.db: database schema version \d+ is newer/.test(e.message));
  } finally {
    t.cleanup();
  }
});

test('migration 3 keeps container events only in the container index, and events are kept', () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'v2.db');
    const raw = new Database(path);
    raw.exec(m0001.sql);
    raw.exec('ALTER TABLE captures ADD COLUMN updated_at INTEGER');
    raw.pragma('user_version = 2');
    const ins = raw.prepare("INSERT INTO events (t, kind, container, data) VALUES (?, 'open', ?, '{}')");
    for (let i = 0; i < 100; i++) ins.run(i, i % 4 === 0 ? 7 : null);
    raw.close();
    const db = openDatabase(path);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const def = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_container_t'").pluck().get() as string;
    assert.match(def, /WHERE container IS NOT NULL/);
    assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), 100);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT seq FROM events WHERE container IN (7) ORDER BY t').all() as Array<{ detail: string }>;
    assert.match(plan.map((p) => p.detail).join(' '), /events_container_t/);
    assert.equal(db.prepare('SELECT count(*) FROM events WHERE container = 7').pluck().get(), 25);
    db.close();
  } finally {
    t.cleanup();
  }
});

test('migration 2 adds the capture heartbeat to a version 1 database, keeping its rows', () => {
  const t = tempDir();
  try {
    const path = join(t.dir, 'v1.db');
    const raw = new Database(path);
    raw.exec(m0001.sql);
    raw.pragma('user_version = 1');
    raw.prepare("INSERT INTO captures (ident, source, state, started_at) VALUES ('capture:x', 'capture', 'complete', 1)").run();
    raw.close();
    const db = openDatabase(path);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const row = db.prepare('SELECT ident, state, updated_at FROM captures').get();
    assert.deepEqual(row, { ident: 'capture:x', state: 'complete', updated_at: null });
    db.close();
  } finally {
    t.cleanup();
  }
});
