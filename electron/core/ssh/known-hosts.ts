/**
 * known_hosts lookup as OpenSSH does it: plain and hashed (`|1|salt|hmac`) host patterns,
 * `[host]:port` for non-standard ports, wildcards and negation, `@revoked` markers. A host whose
 * key differs from a recorded key of the same type is "changed": the connection is refused.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const MAX_KNOWN_HOSTS_BYTES = 16 * 1024 * 1024;

export type HostKeyVerdict =
  | { status: 'known' }
  | { status: 'unknown' }
  | { status: 'changed'; file: string; line: number }
  | { status: 'revoked'; file: string; line: number };

/** The key type written at the start of an SSH public key blob ("ssh-ed25519", "ssh-rsa", ...). */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  if (n > 64 || blob.length < 4 + n) return 'unknown';
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** `SHA256:<base64 without padding>`, as `ssh-keygen -lf` prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The name known_hosts stores: `host`, or `[host]:port` when the port is not 22. */
export function hostEntryName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcardMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

function hostMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const h = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return h === hash;
  }
  let matched = false;
  for (const p of field.split(',')) {
    if (p.startsWith('!')) {
      if (wildcardMatch(p.slice(1), name)) return false;
    } else if (wildcardMatch(p, name)) matched = true;
  }
  return matched;
}

interface Entry {
  marker: string | null;
  hosts: string;
  type: string;
  key: Buffer;
  file: string;
  line: number;
}

function* entries(file: string): Generator<Entry> {
  if (!existsSync(file)) return;
  if (statSync(file).size > MAX_KNOWN_HOSTS_BYTES) throw new Error(`${file} is larger than ${MAX_KNOWN_HOSTS_BYTES} bytes`);
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (!t || t.startsWith('#')) continue;
    const parts = t.split(/\s+/);
    const marker = parts[0]!.startsWith('@') ? parts.shift()! : null;
    const [hosts, type, b64] = parts;
    if (!hosts || !type || !b64) continue;
    yield { marker, hosts, type, key: Buffer.from(b64, 'base64'), file, line: i + 1 };
  }
}

/** Checks the key a server presented against the given known_hosts files. */
export function checkHostKey(files: readonly string[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const name = hostEntryName(host, port);
  const type = keyType(blob);
  let known = false;
  let changed: HostKeyVerdict | null = null;
  for (const file of files) {
    for (const e of entries(file)) {
      if (e.marker === '@cert-authority' || !hostMatches(e.hosts, name)) continue;
      const same = e.key.equals(blob);
      if (e.marker === '@revoked') {
        if (same) return { status: 'revoked', file: e.file, line: e.line };
        continue;
      }
      if (same) known = true;
      else if (e.type === type && !changed) changed = { status: 'changed', file: e.file, line: e.line };
    }
  }
  if (changed) return changed;
  return known ? { status: 'known' } : { status: 'unknown' };
}

/** Key types recorded for a host, so the client can ask the server for one of those first. */
export function knownKeyTypes(files: readonly string[], host: string, port: number): string[] {
  const name = hostEntryName(host, port);
  const types = new Set<string>();
  for (const file of files) for (const e of entries(file)) if (!e.marker && hostMatches(e.hosts, name)) types.add(e.type);
  return [...types];
}

/** Records a trusted key ("trust always"), hashing the host name like HashKnownHosts does. */
export function addHostKey(file: string, host: string, port: number, blob: Buffer): void {
  const salt = randomBytes(20);
  const hmac = createHmac('sha1', salt).update(hostEntryName(host, port)).digest('base64');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, `|1|${salt.toString('base64')}|${hmac} ${keyType(blob)} ${blob.toString('base64')}\n`, { mode: 0o600 });
}
