/**
 * The typed API between the renderer and the core. One contract, two transports: Electron IPC
 * (preload exposes each method by name) and browser mode (WebSocket on 127.0.0.1 with a token).
 *
 * Each method declares a runtime schema for its arguments (validated at the boundary of both
 * transports) and a static result type. Results cross as `{ok: true, value}` or
 * `{ok: false, error}`; handlers never throw across a transport.
 */

export interface ApiError {
  code: 'bad_request' | 'not_found' | 'failed' | 'cancelled' | 'unavailable';
  message: string;
  /** Field path for validation errors. */
  path?: string;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type { MethodSpec } from './api/method';
import type { MethodSpec } from './api/method';
import type { SessionPrompt } from './api/sessions';
import { appMethods } from './api/app';
import { storeMethods } from './api/store';
import { sessionMethods } from './api/sessions';
import { policyMethods } from './api/policy';
import { alertMethods } from './api/alerts';
export * from './api/app';
export * from './api/store';
export * from './api/sessions';
export * from './api/policy';
export * from './api/alerts';

/** Every method, one map per feature (each feature owns its file under shared/api/). */
export const methods = {
  ...appMethods,
  ...storeMethods,
  ...sessionMethods,
  ...policyMethods,
  ...alertMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ArgsOf<M extends MethodName> = Methods[M] extends MethodSpec<infer A, unknown> ? A : never;
export type ResultOf<M extends MethodName> = Methods[M] extends MethodSpec<unknown, infer R> ? R : never;
export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(m: unknown): m is MethodName {
  return typeof m === 'string' && Object.prototype.hasOwnProperty.call(methods, m);
}

/** Events pushed from the core to every connected renderer. */
export interface PushEvents {
  eventsIngested: { total: number; rate: number };
  sessionState: {
    session: string;
    node: string;
    state: 'connecting' | 'uploading' | 'running' | 'stopping' | 'ended' | 'failed' | 'interrupted';
    message?: string;
    rate?: number;
    drops?: number;
  };
  sessionPrompt: SessionPrompt;
  /** The desktop menu asks the console to show a view (Connect → start, Export → policies). */
  menuCommand: { view: 'start' | 'policies' | 'events' | 'processes' };
  /** The console switched to another investigation database: views reload. */
  investigationChanged: { database: string };
  progress: {
    job: string;
    label: string;
    done: number;
    total: number | null;
    unit: 'bytes' | 'events' | 'items';
    rate?: number;
    etaSeconds?: number | null;
    /** What the job does now when it has several steps (e.g. "building indexes, 1 of 3"). */
    stage?: string;
    finished?: boolean;
    error?: string;
  };
}
export type PushName = keyof PushEvents;
export const PUSH_NAMES = ['eventsIngested', 'sessionState', 'sessionPrompt', 'menuCommand', 'progress', 'investigationChanged'] as const satisfies readonly PushName[];

/** Messages of the browser-mode WebSocket. */
export type ClientMessage = { id: number; method: MethodName; args: unknown };
export type ServerMessage =
  | { id: number; result: ApiResult<unknown> }
  | { push: PushName; payload: unknown };

/** What the preload exposes on `window.tracehound` (Electron transport). */
export interface PreloadBridge {
  readonly api: { [M in MethodName]: (args: ArgsOf<M>) => Promise<ApiResult<ResultOf<M>>> };
  on<P extends PushName>(name: P, listener: (payload: PushEvents[P]) => void, signal?: AbortSignal): void;
  /** Where a dropped or picked file is on disk (Electron knows; a browser never tells). */
  pathForFile(file: File): string;
}
