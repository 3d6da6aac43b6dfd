/**
 * Opens an authenticated ssh2 connection to a target, through its ProxyJump hops. Host keys are
 * checked against known_hosts at every hop; an unknown key is shown to the responder (SHA256
 * fingerprint) and trusted once or always, or rejected; a changed key is refused outright.
 * Authentication: ssh-agent, then key files (encrypted ones ask for their passphrase). Plain
 * passwords are never used or stored.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Client, utils, type AnyAuthMethod, type ClientChannel, type ConnectConfig, type ParsedKey } from 'ssh2';
import type { Prompter } from '../sessions/transport';
import type { SshTarget } from './config';
import { addHostKey, checkHostKey, fingerprint, hostEntryName, keyType, knownKeyTypes } from './known-hosts';

const GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];
const MAX_KEY_FILE_BYTES = 64 * 1024;
const PASSPHRASE_TRIES = 3;

export class SshError extends Error {
  constructor(
    readonly reason: 'hostkey-changed' | 'hostkey-rejected' | 'auth' | 'network' | 'cancelled',
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectOptions {
  prompter: Prompter;
  signal?: AbortSignal;
  readyTimeoutMs?: number;
  /** Keepalives detect a cut network even while the node is silent. */
  keepaliveMs?: number;
}

export interface SshConnection {
  readonly client: Client;
  /** Jump connections, outermost first; closed together with the client. */
  readonly hops: readonly Client[];
  close(): void;
}

/** ssh2's host-key algorithm names for a key type recorded in known_hosts. */
function algorithmsFor(type: string): string[] {
  return type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
}

function hostKeyVerifier(t: SshTarget, opts: ConnectOptions, fail: (e: SshError) => void) {
  const files = [...t.userKnownHostsFiles, ...GLOBAL_KNOWN_HOSTS];
  return (key: Buffer, verify: (ok: boolean) => void): void => {
    const name = hostEntryName(t.hostKeyName, t.port);
    const fp = fingerprint(key);
    let verdict;
    try {
      verdict = checkHostKey(files, t.hostKeyName, t.port, key);
    } catch (e) {
      fail(new SshError('hostkey-rejected', `cannot read known_hosts: ${(e as Error).message}`));
      return verify(false);
    }
    if (verdict.status === 'known') return verify(true);
    if (verdict.status === 'changed' || verdict.status === 'revoked') {
      fail(
        new SshError(
          'hostkey-changed',
          `${verdict.status === 'revoked' ? 'REVOKED' : 'CHANGED'} HOST KEY for ${name}: it now presents ${keyType(key)} ${fp}, ` +
            `which does not match ${verdict.file} line ${verdict.line}. Someone may be intercepting the connection, or the ` +
            `node was reinstalled. Verify the new fingerprint out of band before removing the old entry ` +
            `(ssh-keygen -R ${JSON.stringify(name)}).`,
        ),
      );
      return verify(false);
    }
    if (t.strictHostKeyChecking === 'no' || t.strictHostKeyChecking === 'accept-new') {
      if (t.strictHostKeyChecking === 'accept-new') addHostKey(t.userKnownHostsFiles[0]!, t.hostKeyName, t.port, key);
      return verify(true);
    }
    if (t.strictHostKeyChecking === 'yes') {
      fail(new SshError('hostkey-rejected', `${name} is not in known_hosts and StrictHostKeyChecking is yes (key ${fp})`));
      return verify(false);
    }
    opts
      .prompter({
        kind: 'hostKey',
        host: name,
        keyType: keyType(key),
        fingerprint: fp,
        message: `The authenticity of ${name} cannot be established. Its ${keyType(key)} key fingerprint is ${fp}. Compare it with the node's (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) before trusting it.`,
      })
      .then((a) => {
        if (a.trust === 'always') {
          addHostKey(t.userKnownHostsFiles[0]!, t.hostKeyName, t.port, key);
          return verify(true);
        }
        if (a.trust === 'once') return verify(true);
        fail(new SshError('hostkey-rejected', `host key of ${name} (${fp}) rejected`));
        verify(false);
      })
      .catch((e: Error) => {
        fail(new SshError('cancelled', e.message));
        verify(false);
      });
  };
}

function readKeyFile(path: string): Buffer | null {
  if (!existsSync(path)) return null;
  const st = statSync(path);
  if (!st.isFile() || st.size > MAX_KEY_FILE_BYTES) return null;
  return readFileSync(path);
}

const isParsed = (k: ParsedKey | ParsedKey[] | Error): k is ParsedKey | ParsedKey[] => !(k instanceof Error);

/** Parses a key file, asking for the passphrase when it is encrypted. */
async function loadKey(path: string, data: Buffer, opts: ConnectOptions, fail: (e: SshError) => void): Promise<ParsedKey | null> {
  let parsed = utils.parseKey(data);
  if (isParsed(parsed)) return Array.isArray(parsed) ? parsed[0] ?? null : parsed;
  if (!/encrypt|passphrase/i.test(parsed.message)) return null;
  for (let i = 0; i < PASSPHRASE_TRIES; i++) {
    const a = await opts.prompter({
      kind: 'passphrase',
      keyFile: path,
      retry: i > 0,
      message: i === 0 ? `Passphrase for ${path}` : `Wrong passphrase for ${path}, try again`,
    });
    if (a.cancel || a.secret === undefined) {
      fail(new SshError('cancelled', `passphrase for ${path} not given`));
      return null;
    }
    parsed = utils.parseKey(data, a.secret);
    if (isParsed(parsed)) return Array.isArray(parsed) ? parsed[0] ?? null : parsed;
  }
  return null;
}

function authHandler(t: SshTarget, opts: ConnectOptions, tried: string[], fail: (e: SshError) => void): ConnectConfig['authHandler'] {
  const steps: Array<() => Promise<AnyAuthMethod | null>> = [];
  if (t.identityAgent && !t.identitiesOnly && existsSync(t.identityAgent)) {
    const agent = t.identityAgent;
    steps.push(async () => {
      tried.push('ssh-agent');
      return { type: 'agent', username: t.user, agent };
    });
  }
  for (const file of t.identityFiles) {
    steps.push(async () => {
      const data = readKeyFile(file);
      if (!data) return null;
      const key = await loadKey(file, data, opts, fail);
      if (!key) return null;
      tried.push(file);
      return { type: 'publickey', username: t.user, key };
    });
  }
  return (_left, _partial, next) => {
    const step = async (): Promise<void> => {
      while (steps.length) {
        const m = await steps.shift()!();
        if (m) return next(m);
      }
      next(false as unknown as AnyAuthMethod);
    };
    step().catch(() => next(false as unknown as AnyAuthMethod));
  };
}

function networkMessage(t: SshTarget, e: Error & { code?: string; level?: string }): string {
  const where = `${t.host}:${t.port}`;
  if (e.code === 'ECONNREFUSED') return `connection refused by ${where}: is sshd listening there?`;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `cannot resolve ${t.host}`;
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') return `${where} is unreachable from here`;
  if (/timed out/i.test(e.message)) return `no SSH handshake from ${where} in time (firewall, or not an SSH server?)`;
  return `${where}: ${e.message}`;
}

function connectOne(t: SshTarget, sock: ClientChannel | undefined, opts: ConnectOptions): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let failure: SshError | null = null;
    const fail = (e: SshError): void => {
      failure ??= e;
    };
    const tried: string[] = [];
    // The handshake deadline does not run while the responder is answering a question.
    const limit = opts.readyTimeoutMs ?? 20_000;
    let timer: NodeJS.Timeout | null = null;
    const arm = (): void => {
      timer = setTimeout(() => {
        fail(new SshError('network', `no SSH handshake from ${t.host}:${t.port} within ${limit} ms (firewall, or not an SSH server?)`));
        // end() would wait for a handshake that never comes
        client.destroy();
        reject(failure);
      }, limit);
    };
    const disarm = (): void => {
      if (timer) clearTimeout(timer);
      timer = null;
    };
    const hopOpts: ConnectOptions = {
      ...opts,
      prompter: async (req) => {
        disarm();
        try {
          return await opts.prompter(req);
        } finally {
          arm();
        }
      },
    };
    const onAbort = (): void => {
      disarm();
      fail(new SshError('cancelled', 'connection cancelled'));
      client.end();
      reject(failure);
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const files = [...t.userKnownHostsFiles, ...GLOBAL_KNOWN_HOSTS];
    const types = knownKeyTypes(files, t.hostKeyName, t.port).flatMap(algorithmsFor);
    client
      .once('ready', () => {
        disarm();
        opts.signal?.removeEventListener('abort', onAbort);
        // Short request/reply exchanges (exec, sftp) must not wait on Nagle and delayed ACKs.
        client.setNoDelay(true);
        resolve(client);
      })
      .once('error', (e: Error & { level?: string }) => {
        disarm();
        opts.signal?.removeEventListener('abort', onAbort);
        client.end();
        if (failure) return reject(failure);
        if (e.level === 'client-authentication')
          return reject(
            new SshError(
              'auth',
              `${t.user}@${t.host}:${t.port} refused every key offered (${tried.join(', ') || 'none found: add IdentityFile or load a key into ssh-agent'})`,
            ),
          );
        reject(new SshError('network', networkMessage(t, e)));
      });
    const cfg: ConnectConfig = {
      username: t.user,
      readyTimeout: 0,
      keepaliveInterval: opts.keepaliveMs ?? 5_000,
      keepaliveCountMax: 3,
      hostVerifier: hostKeyVerifier(t, hopOpts, fail),
      authHandler: authHandler(t, hopOpts, tried, fail),
      ...(types.length ? { algorithms: { serverHostKey: { prepend: types, append: [], remove: [] } as never } } : {}),
    };
    arm();
    if (sock) cfg.sock = sock;
    else {
      cfg.host = t.host;
      cfg.port = t.port;
    }
    client.connect(cfg);
  });
}

function forward(via: Client, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) =>
    via.forwardOut('127.0.0.1', 0, host, port, (err, ch) =>
      err ? reject(new SshError('network', `jump host could not reach ${host}:${port}: ${err.message}`)) : resolve(ch),
    ),
  );
}

export async function connect(t: SshTarget, opts: ConnectOptions): Promise<SshConnection> {
  const chain = [...t.jumps, t];
  const clients: Client[] = [];
  try {
    for (const hop of chain) {
      const prev = clients[clients.length - 1];
      const sock = prev ? await forward(prev, hop.host, hop.port) : undefined;
      clients.push(await connectOne(hop, sock, opts));
    }
  } catch (e) {
    for (const c of clients.reverse()) c.end();
    throw e;
  }
  const client = clients.pop()!;
  return {
    client,
    hops: clients,
    close: () => {
      client.end();
      for (const c of [...clients].reverse()) c.end();
    },
  };
}
