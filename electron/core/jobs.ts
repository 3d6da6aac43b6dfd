import { randomUUID } from 'node:crypto';
import type { JobState } from '../../shared/api';
import type { PushBus } from './bus';

export interface JobHandle {
  readonly id: string;
  readonly signal: AbortSignal;
  progress(done: number, total: number | null, extra?: { rate?: number; etaSeconds?: number | null; stage?: string }): void;
}

/**
 * Long work (import, replay, upload) runs as a job: progress is pushed at most every 100 ms,
 * and a job can be cancelled through its AbortSignal.
 */
export class Jobs {
  private readonly jobs = new Map<string, { state: JobState; ctl: AbortController; unit: 'bytes' | 'events' | 'items' }>();

  constructor(private readonly bus: PushBus) {}

  start<T>(label: string, unit: 'bytes' | 'events' | 'items', work: (job: JobHandle) => Promise<T>): { id: string; done: Promise<T> } {
    const id = randomUUID();
    const ctl = new AbortController();
    const state: JobState = { job: id, label, state: 'running', done: 0, total: null };
    this.jobs.set(id, { state, ctl, unit });
    let last = 0;
    const handle: JobHandle = {
      id,
      signal: ctl.signal,
      progress: (done, total, extra) => {
        state.done = done;
        state.total = total;
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        this.bus.emit('progress', { job: id, label, done, total, unit, ...extra });
      },
    };
    const done = (async () => {
      try {
        const r = await work(handle);
        state.state = ctl.signal.aborted ? 'cancelled' : 'done';
        return r;
      } catch (e) {
        state.state = ctl.signal.aborted ? 'cancelled' : 'failed';
        state.error = (e as Error).message;
        throw e;
      } finally {
        this.bus.emit('progress', {
          job: id,
          label,
          done: state.done,
          total: state.total,
          unit,
          finished: true,
          ...(state.error ? { error: state.error } : {}),
        });
      }
    })();
    done.catch(() => undefined);
    return { id, done };
  }

  cancel(id: string): boolean {
    const j = this.jobs.get(id);
    if (!j || j.state.state !== 'running') return false;
    j.ctl.abort();
    return true;
  }

  list(): JobState[] {
    return [...this.jobs.values()].map((j) => ({ ...j.state })).slice(-100);
  }

  dispose(): void {
    for (const j of this.jobs.values()) j.ctl.abort();
  }
}
