/** Commands over one ssh2 connection: bounded one-shot runs and long-running streams. */
import type { Client, ClientChannel } from 'ssh2';
import type { RemoteProcess, RunOptions, RunResult } from '../sessions/transport';

const DEFAULT_MAX_OUTPUT = 1024 * 1024;

export function openExec(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => client.exec(command, (err, ch) => (err ? reject(err) : resolve(ch))));
}

export async function runCommand(client: Client, command: string, opts: RunOptions = {}): Promise<RunResult> {
  const ch = await openExec(client, command);
  const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let code: number | null = null;
    let signal: string | null = null;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          ch.close();
          reject(new Error(`command did not finish within ${opts.timeoutMs} ms`));
        }, opts.timeoutMs)
      : null;
    ch.on('data', (b: Buffer) => {
      if (outLen < max) out.push(b.subarray(0, max - outLen));
      outLen += b.length;
    });
    ch.stderr.on('data', (b: Buffer) => {
      if (errLen < max) err.push(b.subarray(0, max - errLen));
      errLen += b.length;
    });
    ch.on('exit', (c: number | null, s?: string) => {
      code = c;
      signal = s ?? null;
    });
    ch.on('close', () => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    if (opts.input !== undefined) ch.end(opts.input);
    else ch.end();
  });
}

/** A long-running command; `prefix` is written to stdin first (a sudo password), stdin stays open. */
export async function spawnCommand(client: Client, command: string, prefix?: string): Promise<RemoteProcess> {
  const ch = await openExec(client, command);
  let exit: { code: number | null; signal: string | null } | null = null;
  ch.on('exit', (c: number | null, s?: string) => {
    exit = { code: c, signal: s ?? null };
  });
  const ended = new Promise<{ code: number | null; signal: string | null; lost: boolean }>((resolve) =>
    ch.on('close', () => resolve(exit ? { ...exit, lost: false } : { code: null, signal: null, lost: true })),
  );
  if (prefix !== undefined) ch.write(prefix);
  return {
    stdout: ch,
    stderr: ch.stderr,
    ended,
    signal: (name) => {
      try {
        ch.signal(name);
      } catch {
        // The channel is already gone.
      }
    },
    endInput: () => ch.end(),
    close: () => ch.close(),
  };
}
