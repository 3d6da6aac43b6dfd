import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

/** A database written by a newer Tracehound: opening it could corrupt what it added. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly path: string,
    readonly found: number,
  ) {
    super(`${path}: database schema version ${found} is newer than this Tracehound (${SCHEMA_VERSION}); upgrade Tracehound to open it`);
  }
}

/** A SQLite file written by another program: never migrated into an investigation. */
export class NotAnInvestigationError extends Error {
  constructor(readonly path: string) {
    super(`${path}: a SQLite database of another program, not a Tracehound investigation; left unchanged`);
  }
}

/**
 * Opens (creating if needed) an investigation database and brings its schema up to date.
 * WAL lets queries read while an import writes; synchronous=NORMAL keeps every committed
 * transaction across a killed process (only a power loss can drop the last ones).
 */
export function openDatabase(path: string, opts: { readonly?: boolean } = {}): Db {
  // Under Electron (not packaged) the Node build of the native module cannot load: `tracehound
  // start` names a build for Electron's ABI (electron/native-for-electron.mjs).
  const electronBinding = process.versions.electron ? process.env.TRACEHOUND_SQLITE_BINDING : undefined;
  const db = new Database(path, {
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
    ...(electronBinding ? { nativeBinding: electronBinding } : {}),
  });
  try {
    // before anything writes to the file (even a pragma): another program's database is left as is
    if ((db.pragma('user_version', { simple: true }) as number) === 0) {
      const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
      if (tables > 0) throw new NotAnInvestigationError(path);
    }
    if (!opts.readonly) {
      // larger pages and rarer checkpoints: measured 1.7x faster inserts of collector lines
      // (bench/ingest.mts); page_size only takes effect on a new, empty database
      db.pragma('page_size = 16384');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('wal_autocheckpoint = 4000');
    }
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    db.pragma('busy_timeout = 5000');
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > SCHEMA_VERSION) throw new SchemaTooNewError(path, found);
    if (found < SCHEMA_VERSION) {
      if (opts.readonly) throw new Error(`${path}: database schema version ${found} needs migrating; open it writable once`);
      migrate(db, found);
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function migrate(db: Db, from: number): void {
  for (const m of MIGRATIONS.slice(from)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
