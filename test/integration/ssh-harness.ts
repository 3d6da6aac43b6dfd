// Real sshd servers on 127.0.0.1 for the live-session tests: own config, port, host key, user keys.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('ssh tests start sshd and log in as root: run them as root');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`sshd exited: ${log()}`);
    const ok = await new Promise<boolean>((res) => {
      const c = netConnect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), res(true)));
      c.once('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port}: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function keygen(path: string, type = 'ed25519', passphrase = ''): string {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-f', path, '-C', 'tracehound-test'], { stdio: 'ignore' });
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

export class Sshd {
  proc!: ChildProcess;
  port = 0;
  stderr = '';
  readonly hostKey: string;
  readonly authorizedDir: string;

  constructor(readonly dir: string, readonly name: string) {
    mkdirSync(dir, { recursive: true });
    this.hostKey = join(dir, `${name}_host_ed25519`);
    keygen(this.hostKey);
    this.authorizedDir = join(dir, `${name}_authorized`);
    mkdirSync(this.authorizedDir, { recursive: true });
  }

  /** Host public key blob line ("ssh-ed25519 AAAA...") of this server. */
  get hostPublicKey(): string {
    return readFileSync(`${this.hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  }

  authorize(user: string, publicKey: string): void {
    writeFileSync(join(this.authorizedDir, user), `${publicKey}\n`, { flag: 'a' });
  }

  /** Replaces the host key (a reinstalled node, or someone in the middle). */
  rotateHostKey(): void {
    rmSync(this.hostKey, { force: true });
    rmSync(`${this.hostKey}.pub`, { force: true });
    keygen(this.hostKey);
  }

  async start(port?: number): Promise<void> {
    this.port = port ?? (await freePort());
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const cfg = join(this.dir, `${this.name}_sshd_config`);
    writeFileSync(
      cfg,
      [
        `Port ${this.port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${this.hostKey}`,
        `PidFile ${join(this.dir, `${this.name}.pid`)}`,
        `AuthorizedKeysFile ${this.authorizedDir}/%u`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'AllowTcpForwarding yes',
        'Subsystem sftp internal-sftp',
        'LogLevel ERROR',
        'MaxStartups 100',
        'MaxSessions 50',
      ].join('\n') + '\n',
    );
    this.stderr = '';
    this.proc = spawn('/usr/sbin/sshd', ['-f', cfg, '-D', '-e'], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc.stderr!.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-20_000)));
    await waitForPort(this.port, this.proc, () => this.stderr);
  }

  /** Per-connection sshd processes (children of the listener): killing them cuts the network. */
  sessionPids(): number[] {
    try {
      return execFileSync('pgrep', ['-P', String(this.proc.pid)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  }

  async stop(): Promise<void> {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const gone = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await gone;
  }
}

export interface Lab {
  dir: string;
  home: string;
  userKey: string;
  userPub: string;
  knownHosts: string;
  configPath: string;
  cleanup(): void;
}

/** A temp "home" with a user key, an empty known_hosts and an ssh config written by the test. */
export function makeLab(): Lab {
  const dir = mkdtempSync(join(tmpdir(), 'th-ssh-'));
  chmodSync(dir, 0o755);
  const home = join(dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const userKey = join(home, '.ssh', 'id_test');
  const userPub = keygen(userKey);
  const knownHosts = join(home, '.ssh', 'known_hosts');
  writeFileSync(knownHosts, '');
  return { dir, home, userKey, userPub, knownHosts, configPath: join(home, '.ssh', 'config'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A local non-root user for the sudo tests; usable by key (password field '*', not locked). */
export function ensureUser(name: string): void {
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['-m', '-s', '/bin/sh', name], { stdio: 'ignore' });
  }
  execFileSync('usermod', ['-p', '*', name], { stdio: 'ignore' });
}

export function setPassword(name: string, password: string): void {
  execFileSync('chpasswd', [], { input: `${name}:${password}\n` });
}

export function removeUser(name: string): void {
  try {
    execFileSync('userdel', ['-r', '-f', name], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

/** A started sshd of the lab that lets the lab's user key in as root. */
export async function startNode(lab: Lab, name = 'node'): Promise<Sshd> {
  const node = new Sshd(lab.dir, name);
  await node.start();
  node.authorize('root', lab.userPub);
  return node;
}

/**
 * An ssh_config `Host` entry reaching `node` with the lab's key, as `user` (root by default),
 * trusting `knownHosts` (the lab's file by default; null leaves ssh's default of ~/.ssh/known_hosts).
 */
export function hostEntry(alias: string, node: Sshd, lab: Lab, o: { user?: string; knownHosts?: string | null } = {}): string {
  const known = o.knownHosts === undefined ? lab.knownHosts : o.knownHosts;
  return (
    `Host ${alias}\n  HostName 127.0.0.1\n  Port ${node.port}\n  User ${o.user ?? 'root'}\n  IdentityFile ${lab.userKey}\n` +
    (known === null ? '' : `  UserKnownHostsFile ${known}\n`)
  );
}
