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
} as const;
