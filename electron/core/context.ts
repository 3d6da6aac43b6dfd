import type { PushBus } from './bus';
import type { Jobs } from './jobs';
import type { Store } from './store/store';

/** What every feature's handlers get: passed in, never imported as globals. */
export interface CoreContext {
  readonly version: string;
  readonly transport: 'electron' | 'browser';
  readonly bus: PushBus;
  readonly jobs: Jobs;
  /** Path of the investigation database (SQLite file). */
  readonly databasePath: string;
  /** The capture the console was opened on, if any. */
  readonly capturePath: string | null;
  /**
   * The investigation database, opened (and migrated) on first use and shared by every feature:
   * one connection, so imports, live sessions and queries never contend for the write lock.
   */
  store(): Store;
  /** Resources to release on shutdown (or when another investigation is opened), in reverse order. */
  onDispose(fn: () => void | Promise<void>): void;
  /** Opens another investigation database in this console; resolves to its absolute path. */
  switchInvestigation(path: string): Promise<string>;
}
