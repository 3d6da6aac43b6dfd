import { object, str } from '../schema';
import { method } from './method';

export interface AppInfo {
  product: 'Tracehound';
  version: string;
  transport: 'electron' | 'browser';
  /** The investigation database in use, if any. */
  database: string | null;
  /** The capture this console was opened on, if any. */
  capture: string | null;
}

export const JobArgs = object({ job: str({ max: 64, min: 1 }) });

/** An investigation database this console knows of (opened before, or in the data directory). */
export interface InvestigationEntry {
  path: string;
  name: string;
  /** The one this console has open. */
  current: boolean;
  exists: boolean;
  sizeBytes: number | null;
  events: number | null;
  captures: number | null;
  /** Host names of its nodes (first few). */
  nodes: string[];
  /** When this console last opened it (ms), if remembered. */
  lastOpened: number | null;
  modified: number | null;
  /** Why it could not be read (newer schema, damaged file…). */
  error?: string;
}

export interface JobState {
  job: string;
  label: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number | null;
  error?: string;
}

export const appMethods = {
  appInfo: method<AppInfo>()(object({})),
  /** Long work (import, replay, upload) runs as a job that reports progress and can be cancelled. */
  cancelJob: method<{ cancelled: boolean }>()(JobArgs),
  jobs: method<JobState[]>()(object({})),
  /** The current investigation, those opened before and those in the data directory. */
  recentInvestigations: method<InvestigationEntry[]>()(object({})),
  /**
   * Switches this console to another investigation database: refused while a live session or a
   * job runs. Every open page is told (`investigationChanged`) and reloads.
   */
  openInvestigation: method<{ database: string }>()(object({ path: str({ max: 4096, min: 1 }) })),
} as const;
