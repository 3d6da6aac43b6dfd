/**
 * Opens the console in browser mode: a Core on the chosen database/capture and the loopback server.
 */
import { resolve } from 'node:path';
import { Core } from '../core/core';
import { databaseFor, isDatabaseFile, rendererDir } from '../core/paths';
import { VERSION } from '../core/version';
import { startServer, type RunningServer } from '../server/server';

export interface ConsoleTarget {
  /** A capture file or an investigation database, or null for an empty investigation. */
  input: string | null;
  db?: string;
  port?: number;
}

export function resolveTarget(t: ConsoleTarget): { databasePath: string; capturePath: string | null } {
  if (t.input && isDatabaseFile(t.input)) return { databasePath: resolve(t.input), capturePath: null };
  const capturePath = t.input ? resolve(t.input) : null;
  return { databasePath: t.db ? resolve(t.db) : databaseFor(capturePath), capturePath };
}

export async function openBrowserConsole(t: ConsoleTarget): Promise<{ core: Core; server: RunningServer }> {
  const { databasePath, capturePath } = resolveTarget(t);
  const core = new Core({ version: VERSION, transport: 'browser', databasePath, capturePath });
  const server = await startServer({ core, staticDir: rendererDir(), port: t.port, uploadDir: `${databasePath}.uploads` });
  return { core, server };
}

/** Keeps the process alive until a signal, then releases everything. */
export function untilSignal(close: () => Promise<void>): Promise<number> {
  return new Promise((resolveExit) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      close().then(() => resolveExit(0), () => resolveExit(1));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
