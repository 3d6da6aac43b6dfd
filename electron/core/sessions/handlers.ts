import type { CoreContext } from '../context';
import { ApiFailure, type HandlersFor } from '../api/types';
import type { sessionMethods } from '../../../shared/api/sessions';
import { listHosts } from '../ssh';
import { defaultCollectorFor, sessionDir, sshTransport } from './defaults';
import { SessionManager } from './manager';
import { storeSink } from './store-sink';

export function sessionHandlers(ctx: CoreContext): HandlersFor<keyof typeof sessionMethods> {
  let manager: SessionManager | null = null;
  const sessions = (): SessionManager => {
    if (manager) return manager;
    const dir = sessionDir(ctx.databasePath);
    const store = ctx.store();
    const m = new SessionManager({
      openTransport: sshTransport,
      collectorFor: defaultCollectorFor,
      sink: (meta) =>
        storeSink(meta, {
          store,
          captureDir: dir,
          onCommit: (s) => ctx.bus.emit('eventsIngested', { total: s.events, rate: s.rate }),
        }),
      logDir: dir,
      emitState: (p) => ctx.bus.emit('sessionState', p),
      emitPrompt: (p) => ctx.bus.emit('sessionPrompt', p),
      emitUpload: uploadProgress(ctx),
    });
    ctx.onDispose(() => m.dispose());
    manager = m;
    return m;
  };
  const need = <T>(v: T | null | undefined, what: string): T => {
    if (v === null || v === undefined) throw new ApiFailure('not_found', `no ${what}`);
    return v;
  };
  return {
    nodeHosts: () => {
      try {
        return listHosts();
      } catch (e) {
        throw new ApiFailure('failed', `cannot read the ssh config: ${(e as Error).message}`);
      }
    },
    startSession: (a) => ({ session: sessions().start(a).id }),
    answerPrompt: (a) => ({ answered: sessions().answer(a.prompt, { trust: a.trust, secret: a.secret, cancel: a.cancel }) }),
    pendingPrompts: () => sessions().prompts.list(),
    stopSession: async (a) => need(await sessions().stop(a.session), `session ${a.session}`),
    reconnectSession: (a) => {
      try {
        return { session: need(sessions().reconnect(a.session), `session ${a.session}`).id };
      } catch (e) {
        if (e instanceof ApiFailure) throw e;
        throw new ApiFailure('failed', (e as Error).message);
      }
    },
    listSessions: () => sessions().list(),
  };
}

/** Upload progress as `progress` pushes (job id = session id), at most every 100 ms and at the end. */
function uploadProgress(ctx: CoreContext) {
  const last = new Map<string, number>();
  return (session: string, node: string, done: number, total: number): void => {
    const now = Date.now();
    const finished = done >= total;
    if (!finished && now - (last.get(session) ?? 0) < 100) return;
    last.set(session, now);
    if (finished) last.delete(session);
    ctx.bus.emit('progress', { job: session, label: `Uploading the collector to ${node}`, done, total, unit: 'bytes', ...(finished ? { finished } : {}) });
  };
}
