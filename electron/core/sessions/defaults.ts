/** The product's defaults for live sessions: SSH transport, the built collector, file locations. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSshTransport } from '../ssh';
import { packageRoot } from '../paths';
import { findCollector } from './collector-artifact';
import type { TransportFactory } from './transport';

export const sshTransport: TransportFactory = (target, prompter, signal) => openSshTransport(target, prompter, signal);

/** Collector binaries: TRACEHOUND_COLLECTOR_DIR, else the agent-bpf build output. */
export function collectorDir(): string {
  return process.env.TRACEHOUND_COLLECTOR_DIR || join(packageRoot(), 'agent-bpf', '.output', 'bin');
}

export const defaultCollectorFor = (arch: string) => findCollector(collectorDir(), arch);

/** Session logs and raw streams sit beside the investigation database. */
export function sessionDir(databasePath: string): string {
  const d = `${databasePath}.sessions`;
  mkdirSync(d, { recursive: true, mode: 0o700 });
  return d;
}
