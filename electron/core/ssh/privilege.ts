/**
 * How the login user becomes root: already root, `sudo -n` (NOPASSWD), or sudo with a password the
 * responder types (kept in memory for this connection only, fed to `sudo -S` on stdin). `-k` makes
 * sudo ask every time, so the password line can never leak into the command's own stdin.
 */
import type { Client } from 'ssh2';
import type { Prompter } from '../sessions/transport';
import { shq } from '../sessions/transport';
import { runCommand } from './exec';

const SUDO_TRIES = 3;

export class PrivilegeError extends Error {}

export type Elevation = { mode: 'root' } | { mode: 'sudo-n' } | { mode: 'sudo-password'; password: string };

/** Wraps a script to run as root; `input` is what to write to its stdin first. */
export function asRoot(e: Elevation, script: string): { command: string; prefix?: string } {
  const sh = `sh -c ${shq(script)}`;
  if (e.mode === 'root') return { command: sh };
  if (e.mode === 'sudo-n') return { command: `sudo -n -- ${sh}` };
  return { command: `sudo -k -S -p '' -- ${sh}`, prefix: `${e.password}\n` };
}

export async function elevate(client: Client, user: string, node: string, prompter: Prompter): Promise<Elevation> {
  const who = await runCommand(client, 'id -u; command -v sudo || true', { timeoutMs: 15_000 });
  const [uidLine, sudoPath] = who.stdout.split('\n');
  const uid = Number(uidLine?.trim());
  if (!Number.isInteger(uid)) throw new PrivilegeError(`could not read the user id on ${node}: ${who.stderr.trim().slice(0, 300)}`);
  if (uid === 0) return { mode: 'root' };
  if (!sudoPath?.trim())
    throw new PrivilegeError(
      `${user} on ${node} is not root and sudo is not installed: log in as root (User root) or install sudo and allow ${user} to use it`,
    );
  const n = await runCommand(client, 'sudo -n true', { timeoutMs: 15_000 });
  if (n.code === 0) return { mode: 'sudo-n' };
  if (!/password/i.test(n.stderr))
    throw new PrivilegeError(`${user} on ${node} cannot use sudo: ${n.stderr.trim().slice(0, 300) || `exit ${n.code}`}`);
  for (let i = 0; i < SUDO_TRIES; i++) {
    const a = await prompter({
      kind: 'sudoPassword',
      user,
      retry: i > 0,
      message: i === 0 ? `sudo password for ${user} on ${node}` : `Wrong sudo password for ${user} on ${node}, try again`,
    });
    if (a.cancel || a.secret === undefined) throw new PrivilegeError(`sudo password for ${user} on ${node} not given`);
    const r = await runCommand(client, `sudo -k -S -p '' true`, { input: `${a.secret}\n`, timeoutMs: 30_000 });
    if (r.code === 0) return { mode: 'sudo-password', password: a.secret };
    if (/not in the sudoers|not allowed|may not run/i.test(r.stderr))
      throw new PrivilegeError(`${user} on ${node} is not allowed to run commands as root with sudo (sudoers)`);
  }
  throw new PrivilegeError(`sudo refused the password for ${user} on ${node} ${SUDO_TRIES} times`);
}
