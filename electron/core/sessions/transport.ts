/**
 * What a live session needs from the way it reaches a node: run a command as root, upload a file,
 * and a duplex byte stream to a long-running root process. SSH is one implementation
 * (electron/core/ssh); `kubectl debug node/…` and a DaemonSet exec are the next ones. Nothing in
 * this folder knows which one it talks to.
 */
import type { Readable } from 'node:stream';
import type { SessionPrompt } from '../../../shared/api/sessions';

export interface RunResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  timeoutMs?: number;
  /** Output beyond this many bytes per stream is dropped (hostile nodes). */
  maxOutputBytes?: number;
}

export interface RemoteProcess {
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves when the process ends or the stream to it is gone (`lost` true then). */
  readonly ended: Promise<{ code: number | null; signal: string | null; lost: boolean }>;
  /** Delivers a signal to the process (through the transport, no second connection). */
  signal(name: 'TERM' | 'INT' | 'KILL'): void;
  /** Closes the process's stdin: a collector reading EOF stops. */
  endInput(): void;
  /** Tears the stream down. */
  close(): void;
}

export interface NodeTransport {
  /** Display name of the node. */
  readonly node: string;
  /** How root is reached, once connected. */
  readonly privilege: 'root' | 'sudo';
  /** Runs a shell script as the login user. */
  run(script: string, opts?: RunOptions): Promise<RunResult>;
  /** Runs a shell script as root. */
  runAsRoot(script: string, opts?: RunOptions): Promise<RunResult>;
  /** Starts a long-running root process; stdout and stderr stream back. */
  spawnAsRoot(script: string): Promise<RemoteProcess>;
  /** Copies a local file to the node (as the login user), reporting bytes written. */
  upload(localPath: string, remotePath: string, mode: number, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<void>;
  /** Called once when the connection is gone, whoever closed it. */
  onClose(listener: (error: Error | null) => void): void;
  close(): Promise<void>;
}

/** A question for the responder, without the ids the session manager adds. */
export type PromptRequest = DistributiveOmit<SessionPrompt, 'prompt' | 'session' | 'node'>;
export type PromptAnswer = { trust?: 'once' | 'always' | 'reject'; secret?: string; cancel?: boolean };
export type Prompter = (req: PromptRequest) => Promise<PromptAnswer>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Opens a transport to a target name; the session manager does not know which kind. */
export type TransportFactory = (target: string, prompter: Prompter, signal: AbortSignal) => Promise<NodeTransport>;

/** Quotes a value for a POSIX shell. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
