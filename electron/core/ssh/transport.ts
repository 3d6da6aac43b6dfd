/** The SSH implementation of a session's NodeTransport. */
import { shq, type Prompter, type NodeTransport, type RemoteProcess, type RunOptions } from '../sessions/transport';
import { resolveTarget, type ConfigSource } from './config';
import { connect, type SshConnection } from './connect';
import { runCommand, spawnCommand } from './exec';
import { asRoot, elevate, type Elevation } from './privilege';
import { sftpUpload } from './sftp';

export interface SshTransportOptions {
  config?: ConfigSource;
  readyTimeoutMs?: number;
  keepaliveMs?: number;
}

class SshTransport implements NodeTransport {
  private readonly closeListeners: Array<(e: Error | null) => void> = [];
  private closed = false;
  private lastError: Error | null = null;

  constructor(
    readonly node: string,
    private readonly conn: SshConnection,
    private readonly elevation: Elevation,
  ) {
    const gone = (): void => {
      if (this.closed) return;
      this.closed = true;
      for (const l of this.closeListeners.splice(0)) l(this.lastError);
    };
    conn.client.on('error', (e: Error) => (this.lastError = e));
    conn.client.on('close', gone);
    for (const h of conn.hops) h.on('close', () => conn.client.end());
  }

  get privilege(): 'root' | 'sudo' {
    return this.elevation.mode === 'root' ? 'root' : 'sudo';
  }

  run(script: string, opts?: RunOptions) {
    return runCommand(this.conn.client, `sh -c ${shq(script)}`, opts);
  }

  runAsRoot(script: string, opts: RunOptions = {}) {
    const { command, prefix } = asRoot(this.elevation, script);
    const input = prefix !== undefined || opts.input !== undefined ? `${prefix ?? ''}${opts.input ?? ''}` : undefined;
    return runCommand(this.conn.client, command, { ...opts, input });
  }

  spawnAsRoot(script: string): Promise<RemoteProcess> {
    const { command, prefix } = asRoot(this.elevation, script);
    return spawnCommand(this.conn.client, command, prefix);
  }

  upload(localPath: string, remotePath: string, mode: number, onProgress?: (done: number, total: number) => void, signal?: AbortSignal) {
    return sftpUpload(this.conn.client, localPath, remotePath, mode, onProgress, signal);
  }

  onClose(listener: (error: Error | null) => void): void {
    if (this.closed) listener(this.lastError);
    else this.closeListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.onClose(() => resolve());
      this.conn.close();
      setTimeout(resolve, 2000).unref();
    });
  }
}

/** Resolves the target (ssh config or user@host:port), connects, authenticates and finds root. */
export async function openSshTransport(target: string, prompter: Prompter, signal: AbortSignal, opts: SshTransportOptions = {}): Promise<NodeTransport> {
  const t = resolveTarget(target, opts.config);
  const conn = await connect(t, { prompter, signal, readyTimeoutMs: opts.readyTimeoutMs, keepaliveMs: opts.keepaliveMs });
  try {
    const elevation = await elevate(conn.client, t.user, target, prompter);
    return new SshTransport(target, conn, elevation);
  } catch (e) {
    conn.close();
    throw e;
  }
}
