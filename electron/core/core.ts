import { PushBus } from './bus';
import { Jobs } from './jobs';
import type { CoreContext } from './context';
import { createHandlers } from './api/handlers';
import { dispatch } from './api/dispatch';
import type { Handlers } from './api/types';
import type { ApiResult } from '../../shared/api';
import { openStore, type Store } from './store/store';
import { resolve } from 'node:path';
import { ApiFailure } from './api/types';
import { investigationProblem, rememberInvestigation } from './investigations';

export interface CoreOptions {
  version: string;
  transport: 'electron' | 'browser';
  databasePath: string;
  capturePath?: string | null;
}

/** The application core: plain Node, no Electron. Both transports and the CLI sit on it. */
export class Core {
  readonly bus = new PushBus();
  readonly jobs: Jobs;
  private context!: CoreContext;
  private handlers!: Handlers;
  /** Resources of the current investigation (its store, sessions, policy connections). */
  private disposers: Array<() => void | Promise<void>> = [];
  private disposed = false;
  private switching = false;
  private openedStore: Store | null = null;

  constructor(private readonly opts: CoreOptions) {
    this.jobs = new Jobs(this.bus);
    this.open(opts.databasePath, opts.capturePath ?? null);
  }

  /** What the current investigation's handlers were given. */
  get ctx(): CoreContext {
    return this.context;
  }

  private open(databasePath: string, capturePath: string | null): void {
    this.openedStore = null;
    this.disposers = [];
    this.context = {
      version: this.opts.version,
      transport: this.opts.transport,
      bus: this.bus,
      jobs: this.jobs,
      databasePath,
      capturePath,
      store: () => {
        if (this.disposed) throw new Error('the core is shut down');
        if (!this.openedStore) {
          const s = openStore(databasePath);
          this.openedStore = s;
          this.disposers.push(() => s.close());
          // remembered once it opened (Start lists it among the other investigations)
          rememberInvestigation(databasePath);
        }
        return this.openedStore;
      },
      onDispose: (fn) => {
        this.disposers.push(fn);
      },
      switchInvestigation: (path) => this.switchInvestigation(path),
    };
    this.handlers = createHandlers(this.context);
  }

  /**
   * Closes the current investigation and opens another: refused while work that writes to it
   * runs (live sessions, imports, exports), so nothing is cut.
   */
  private async switchInvestigation(path: string): Promise<string> {
    const target = resolve(path);
    const problem = investigationProblem(target);
    if (problem) throw new ApiFailure('bad_request', problem);
    if (target === resolve(this.context.databasePath)) return target;
    if (this.switching) throw new ApiFailure('unavailable', 'already switching investigations');
    const busy = this.jobs.list().filter((j) => j.state === 'running');
    if (busy.length > 0) throw new ApiFailure('unavailable', `${busy[0]!.label} is running: let it finish or cancel it first`);
    const sessions = await this.call('listSessions', {});
    const live = sessions.ok ? (sessions.value as Array<{ node: string; state: string }>).filter((x) => !['ended', 'failed', 'interrupted'].includes(x.state)) : [];
    if (live.length > 0) throw new ApiFailure('unavailable', `a live session on ${live[0]!.node} is ${live[0]!.state}: stop it first`);
    this.switching = true;
    const previous = this.context.databasePath;
    try {
      await this.release();
      // the handlers open the store: a file that is not an investigation fails here, and the
      // previous investigation comes back
      try {
        this.open(target, null);
        this.context.store();
      } catch (e) {
        await this.release();
        this.open(previous, null);
        throw new ApiFailure('bad_request', `${target}: ${(e as Error).message}`);
      }
    } finally {
      this.switching = false;
    }
    this.bus.emit('investigationChanged', { database: target });
    return target;
  }

  private async release(): Promise<void> {
    const fns = this.disposers.reverse();
    this.disposers = [];
    for (const fn of fns) {
      try {
        await fn();
      } catch {
        // keep releasing the rest
      }
    }
    this.openedStore = null;
  }

  call(method: unknown, args: unknown): Promise<ApiResult<unknown>> {
    return dispatch(this.handlers, method, args);
  }

  /** Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.jobs.dispose();
    await this.release();
  }
}
