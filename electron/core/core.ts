import { PushBus } from './bus';
import { Jobs } from './jobs';
import type { CoreContext } from './context';
import { createHandlers } from './api/handlers';
import { dispatch } from './api/dispatch';
import type { Handlers } from './api/types';
import type { ApiResult } from '../../shared/api';
import { openStore, type Store } from './store/store';

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
  readonly ctx: CoreContext;
  private readonly handlers: Handlers;
  private readonly disposers: Array<() => void | Promise<void>> = [];
  private disposed = false;
  private openedStore: Store | null = null;

  constructor(opts: CoreOptions) {
    this.jobs = new Jobs(this.bus);
    this.ctx = {
      version: opts.version,
      transport: opts.transport,
      bus: this.bus,
      jobs: this.jobs,
      databasePath: opts.databasePath,
      capturePath: opts.capturePath ?? null,
      store: () => {
        if (this.disposed) throw new Error('the core is shut down');
        if (!this.openedStore) {
          const s = openStore(opts.databasePath);
          this.openedStore = s;
          this.disposers.push(() => s.close());
        }
        return this.openedStore;
      },
      onDispose: (fn) => {
        this.disposers.push(fn);
      },
    };
    this.handlers = createHandlers(this.ctx);
  }

  call(method: unknown, args: unknown): Promise<ApiResult<unknown>> {
    return dispatch(this.handlers, method, args);
  }

  /** Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.jobs.dispose();
    for (const fn of this.disposers.reverse()) {
      try {
        await fn();
      } catch {
        // keep releasing the rest
      }
    }
  }
}
