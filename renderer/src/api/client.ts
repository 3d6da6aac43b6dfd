/**
 * The renderer's only door to the core: typed from the shared contract. In Electron it uses the
 * preload bridge; in browser mode a WebSocket to the loopback server, authenticated by the token
 * from the page URL (kept in memory, removed from the address bar).
 */
import type { ApiResult, ArgsOf, MethodName, PreloadBridge, PushEvents, PushName, ResultOf, ServerMessage } from '../../../shared/api';

declare global {
  interface Window {
    tracehound?: PreloadBridge;
  }
}

type PushListener = (payload: unknown) => void;

export interface ApiClient {
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ApiResult<ResultOf<M>>>;
  on<P extends PushName>(name: P, listener: (payload: PushEvents[P]) => void, signal?: AbortSignal): void;
  readonly transport: 'electron' | 'browser';
}

function electronClient(bridge: PreloadBridge): ApiClient {
  return {
    transport: 'electron',
    call: (method, args) => (bridge.api[method] as (a: unknown) => Promise<ApiResult<never>>)(args),
    on: (name, listener, signal) => bridge.on(name, listener, signal),
  };
}

function browserClient(): ApiClient {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token') ?? sessionStorage.getItem('tracehound.token') ?? '';
  if (url.searchParams.has('token')) {
    sessionStorage.setItem('tracehound.token', token);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  const pending = new Map<number, (r: ApiResult<unknown>) => void>();
  const listeners = new Map<PushName, Set<PushListener>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;

  const open = (): Promise<WebSocket> => {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
      ws.onopen = () => {
        socket = ws;
        opening = null;
        resolve(ws);
      };
      ws.onerror = () => {
        opening = null;
        reject(new Error('cannot reach the Tracehound core (is `tracehound serve` still running?)'));
      };
      ws.onclose = () => {
        socket = null;
        for (const [id, done] of pending) {
          pending.delete(id);
          done({ ok: false, error: { code: 'unavailable', message: 'connection to the core closed' } });
        }
      };
      ws.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data)) as ServerMessage;
        if ('id' in msg) {
          pending.get(msg.id)?.(msg.result);
          pending.delete(msg.id);
        } else {
          for (const l of listeners.get(msg.push) ?? []) l(msg.payload);
        }
      };
    });
    return opening;
  };

  return {
    transport: 'browser',
    async call(method, args) {
      let ws: WebSocket;
      try {
        ws = await open();
      } catch (e) {
        return { ok: false, error: { code: 'unavailable', message: (e as Error).message } };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: ApiResult<unknown>) => void);
        ws.send(JSON.stringify({ id, method, args }));
      });
    },
    on(name, listener, signal) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener as PushListener);
      signal?.addEventListener('abort', () => set!.delete(listener as PushListener), { once: true });
      void open().catch(() => undefined);
    },
  };
}

export const api: ApiClient = window.tracehound ? electronClient(window.tracehound) : browserClient();

/** Unwraps a result or throws an Error carrying the core's message (for React error states). */
export async function must<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
  const r = await api.call(method, args);
  if (!r.ok) throw new ApiCallError(r.error.code, r.error.message);
  return r.value;
}

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
