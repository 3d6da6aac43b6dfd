import { Worker } from 'node:worker_threads';

/** How often the background connection copies the write-ahead log into the database. */
const INTERVAL_MS = 250;

/*
 * Plain JavaScript run in a worker thread with its own connection. A passive checkpoint never
 * blocks the writer or readers; the writer's connection then never checkpoints itself, which
 * otherwise stalls the event loop for the time it takes to copy tens of MB (measured up to
 * ~0.5 s on a 1M-event import in bench/ingest.mts).
 */
const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, Object.assign({ fileMustExist: true }, workerData.binding ? { nativeBinding: workerData.binding } : {}));
db.pragma('busy_timeout = 1000');
db.pragma('cache_size = -2048');
let busy = false;
const tick = () => {
  if (busy) return;
  busy = true;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { /* the writer will retry through autocheckpoint */ }
  busy = false;
};
const timer = setInterval(tick, workerData.interval);
parentPort.on('message', (m) => {
  if (m && m.build) {
    // a bulk import's indexes, each sorted in one pass; the page cache (16 MiB) bounds the
    // sorter's memory, larger sorts spill to temporary files
    busy = true;
    db.pragma('cache_size = -16384');
    try {
      db.pragma('busy_timeout = 60000');
      for (const index of m.build) {
        db.exec(index.sql);
        parentPort.postMessage({ built: index.name });
      }
      parentPort.postMessage({ buildDone: true });
    } catch (e) {
      parentPort.postMessage({ buildError: String(e && e.message || e) });
    } finally {
      db.pragma('busy_timeout = 1000');
      db.pragma('cache_size = -2048');
      busy = false;
    }
    return;
  }
  clearInterval(timer); tick(); db.close(); parentPort.postMessage('closed');
});
`;

/** Checkpoints a WAL database from a worker thread until stopped. */
export class Checkpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;

  private constructor(path: string) {
    // the same native build as the main connection (db.ts: Electron's ABI when run by Electron)
    const binding = process.versions.electron ? process.env.TRACEHOUND_SQLITE_BINDING : undefined;
    this.worker = new Worker(CODE, {
      eval: true,
      workerData: { path, driver: require.resolve('better-sqlite3'), interval: INTERVAL_MS, binding },
    });
    this.worker.unref();
  }

  /** Null when a worker cannot be started (the connection keeps checkpointing itself). */
  static start(path: string, onError: (e: Error) => void): Checkpointer | null {
    try {
      const c = new Checkpointer(path);
      c.worker.on('error', onError);
      return c;
    } catch {
      return null;
    }
  }

  /**
   * Runs CREATE INDEX statements on the background connection, so the thread that answers the
   * console stays free while a million rows are sorted. `onBuilt` names each index as it lands.
   */
  buildIndexes(indexes: ReadonlyArray<{ name: string; sql: string }>, onBuilt: (name: string) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onMessage = (m: { built?: string; buildDone?: boolean; buildError?: string }) => {
        if (m.built) return onBuilt(m.built);
        if (!m.buildDone && m.buildError === undefined) return;
        this.worker.off('message', onMessage);
        this.worker.off('exit', onExit);
        if (m.buildError !== undefined) reject(new Error(m.buildError));
        else resolve();
      };
      const onExit = () => {
        this.worker.off('message', onMessage);
        reject(new Error('the background connection stopped before the indexes were built'));
      };
      this.worker.on('message', onMessage);
      this.worker.once('exit', onExit);
      this.worker.postMessage({ build: indexes });
    });
  }

  /** Idempotent; resolves once the worker's connection is closed. */
  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = new Promise<void>((resolve) => {
        const done = () => resolve();
        const onClosed = (m: unknown) => {
          if (m !== 'closed') return;
          this.worker.off('message', onClosed);
          void this.worker.terminate().then(done, done);
        };
        this.worker.on('message', onClosed);
        this.worker.once('exit', done);
        this.worker.once('error', done);
        this.worker.postMessage('stop');
      });
    }
    return this.stopped;
  }
}
