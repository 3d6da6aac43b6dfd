/** Live sessions: capture on a node over a transport (SSH first), several nodes at once. */
import { bool, int, object, oneOf, optional, str } from '../schema';
import { method } from './method';

export type SessionStateName = 'connecting' | 'uploading' | 'running' | 'stopping' | 'ended' | 'failed' | 'interrupted';

export interface NodeHostEntry {
  alias: string;
  hostName: string;
  user: string;
  port: number;
  proxyJump: string | null;
}

export interface PreflightCheck {
  name: 'kernel' | 'btf' | 'tracefs' | 'arch' | 'privileges' | 'space' | 'ringbuf';
  ok: boolean;
  /** What was found, e.g. "6.1.0-18-amd64". */
  found: string;
  /** When not ok: what it means and what the responder can do. */
  advice?: string;
  /** False when the capture can go on without it (reduced). */
  fatal: boolean;
}

export interface SessionInfo {
  session: string;
  /** Segments of one investigation share it; reconnect starts a new segment. */
  investigation: string;
  segment: number;
  node: string;
  state: SessionStateName;
  message: string | null;
  startedAt: number;
  endedAt: number | null;
  events: number;
  rate: number;
  drops: number;
  privilege: 'root' | 'sudo' | null;
  preflight: PreflightCheck[];
  capturePath: string | null;
  logPath: string | null;
  /** Last lines the collector wrote to stderr. */
  log: string[];
}

/** A question only the responder can answer; pushed as `sessionPrompt`, answered by `answerPrompt`. */
export type SessionPrompt =
  | { prompt: string; session: string; node: string; kind: 'hostKey'; host: string; keyType: string; fingerprint: string; message: string }
  | { prompt: string; session: string; node: string; kind: 'passphrase'; keyFile: string; message: string; retry: boolean }
  | { prompt: string; session: string; node: string; kind: 'sudoPassword'; user: string; message: string; retry: boolean };

export const StartSessionArgs = object({
  /** An ssh-config alias or user@host:port. */
  target: str({ min: 1, max: 1024 }),
  durationSeconds: optional(int({ min: 1, max: 7 * 24 * 3600 })),
  /** Collector --kinds list, e.g. "-open,-syscalls". */
  kinds: optional(str({ max: 256, pattern: /^[a-z,-]*$/ })),
  /** Only this process (on the node) and its descendants. */
  pid: optional(int({ min: 1, max: 4194304 })),
});

export const AnswerPromptArgs = object({
  prompt: str({ min: 1, max: 64 }),
  /** For hostKey prompts. */
  trust: optional(oneOf(['once', 'always', 'reject'] as const)),
  /** For passphrase and sudo password prompts; kept in memory only. */
  secret: optional(str({ max: 4096 })),
  cancel: optional(bool()),
});

export const SessionIdArgs = object({ session: str({ min: 1, max: 64 }) });

export const sessionMethods = {
  nodeHosts: method<NodeHostEntry[]>()(object({})),
  startSession: method<{ session: string }>()(StartSessionArgs),
  answerPrompt: method<{ answered: boolean }>()(AnswerPromptArgs),
  pendingPrompts: method<SessionPrompt[]>()(object({})),
  stopSession: method<SessionInfo>()(SessionIdArgs),
  reconnectSession: method<{ session: string }>()(SessionIdArgs),
  listSessions: method<SessionInfo[]>()(object({})),
} as const;
