/**
 * Resolves targets the way `ssh` does: `~/.ssh/config` (Host blocks, wildcards, Include, ProxyJump)
 * or a literal `user@host:port`. Parsing is ssh-config's; this file expands Include and never runs
 * `Match exec` commands (a config file is input, not a script).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import SSHConfig from 'ssh-config';

const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_INCLUDE_DEPTH = 16;
const MAX_JUMPS = 8;

export interface SshTarget {
  /** What the responder typed (alias or user@host:port). */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly identityFiles: readonly string[];
  /** Explicit IdentityFile entries only (IdentitiesOnly semantics are not needed for that). */
  readonly identitiesOnly: boolean;
  readonly identityAgent: string | null;
  /** Name looked up in known_hosts (HostKeyAlias or host). */
  readonly hostKeyName: string;
  readonly userKnownHostsFiles: readonly string[];
  readonly strictHostKeyChecking: 'yes' | 'no' | 'ask' | 'accept-new';
  /** Hops to go through first, outermost first. */
  readonly jumps: readonly SshTarget[];
}

export interface SshHostEntry {
  alias: string;
  hostName: string;
  user: string;
  port: number;
  proxyJump: string | null;
}

export interface ConfigSource {
  /** Path of the user's ssh config; missing is fine. */
  readonly configPath: string;
  readonly home: string;
  readonly localUser: string;
}

export function defaultConfigSource(): ConfigSource {
  const home = homedir();
  return { configPath: join(home, '.ssh', 'config'), home, localUser: userInfo().username };
}

export class TargetError extends Error {}

function expandTilde(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p;
}

/** Expands `*` and `?` in the last path component, as Include does (sorted, like glob(3)). */
function globFiles(pattern: string): string[] {
  const dir = dirname(pattern);
  const base = basename(pattern);
  if (!/[*?]/.test(base)) return existsSync(pattern) ? [pattern] : [];
  if (!existsSync(dir)) return [];
  const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function readConfigFile(path: string): string {
  const st = statSync(path);
  if (!st.isFile()) throw new TargetError(`${path} is not a file`);
  if (st.size > MAX_CONFIG_BYTES) throw new TargetError(`${path} is larger than ${MAX_CONFIG_BYTES} bytes`);
  return readFileSync(path, 'utf8');
}

/** Replaces each Include with the lines of the files it names, inside Host/Match blocks too. */
function expandIncludes(config: SSHConfig, src: ConfigSource, depth: number): SSHConfig {
  if (depth > MAX_INCLUDE_DEPTH) throw new TargetError(`ssh config Include nested deeper than ${MAX_INCLUDE_DEPTH}`);
  const out = new SSHConfig();
  for (const line of config) {
    if (line.type === SSHConfig.DIRECTIVE && line.param.toLowerCase() === 'include') {
      const values = Array.isArray(line.value) ? line.value.map((v) => v.val) : line.value.split(/\s+/);
      for (const v of values.filter(Boolean)) {
        const p = expandTilde(v, src.home);
        const full = isAbsolute(p) ? p : join(src.home, '.ssh', p);
        for (const f of globFiles(full)) out.push(...expandIncludes(SSHConfig.parse(readConfigFile(f)), src, depth + 1));
      }
    } else if (line.type === SSHConfig.DIRECTIVE && 'config' in line) {
      line.config = expandIncludes(line.config, src, depth + 1);
      out.push(line);
    } else {
      out.push(line);
    }
  }
  return out;
}

export function loadConfig(src: ConfigSource): SSHConfig {
  if (!existsSync(src.configPath)) return new SSHConfig();
  return expandIncludes(SSHConfig.parse(readConfigFile(src.configPath)), src, 0);
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const all = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** `user@host:port`, `host:port`, `[v6]:port`, `ssh://user@host:port`. */
export function parseDestination(dest: string): { user?: string; host: string; port?: number } {
  let d = dest.trim().replace(/^ssh:\/\//, '');
  if (!d || d.length > 1024 || /[\s\0]/.test(d)) throw new TargetError(`not a host: ${JSON.stringify(dest.slice(0, 80))}`);
  let user: string | undefined;
  const at = d.lastIndexOf('@');
  if (at >= 0) {
    user = d.slice(0, at);
    d = d.slice(at + 1);
  }
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(d);
  let host = d;
  if (v6) {
    host = v6[1]!;
    if (v6[2]) port = Number(v6[2]);
  } else {
    const m = /^([^:]+):(\d+)$/.exec(d);
    if (m) {
      host = m[1]!;
      port = Number(m[2]);
    }
  }
  if (port !== undefined && (port < 1 || port > 65535)) throw new TargetError(`port out of range in ${dest}`);
  if (!host || host.startsWith('-')) throw new TargetError(`not a host: ${JSON.stringify(dest)}`);
  return { user, host, port };
}

function percentExpand(v: string, t: { host: string; user: string; port: number; original: string }, src: ConfigSource): string {
  return v.replace(/%([%hdurpn])/g, (_, c: string) =>
    c === '%' ? '%' : c === 'h' ? t.host : c === 'd' ? src.home : c === 'u' ? src.localUser : c === 'r' ? t.user : c === 'p' ? String(t.port) : t.original,
  );
}

export function resolveTarget(dest: string, src: ConfigSource = defaultConfigSource(), config = loadConfig(src), depth = 0): SshTarget {
  if (depth > MAX_JUMPS) throw new TargetError(`ProxyJump chain longer than ${MAX_JUMPS} hops (a loop?)`);
  const d = parseDestination(dest);
  const c = config.compute({ Host: d.host, User: d.user }, { ignoreCase: true, matchExec: false });
  const host = first(c.hostname) ?? d.host;
  const user = d.user ?? first(c.user) ?? src.localUser;
  const portText = d.port ?? Number(first(c.port) ?? 22);
  if (!Number.isInteger(portText) || portText < 1 || portText > 65535) throw new TargetError(`bad Port for ${dest}`);
  const port = portText;
  const ctx = { host, user, port, original: d.host };
  const explicit = all(c.identityfile).map((f) => expandTilde(percentExpand(f, ctx, src), src.home));
  const identityFiles = explicit.length
    ? explicit
    : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(src.home, '.ssh', f)).filter((f) => existsSync(f));
  const known = all(c.userknownhostsfile).flatMap((s) => s.split(/\s+/)).filter((f) => f && f !== 'none');
  const userKnownHostsFiles = (known.length ? known : [join(src.home, '.ssh', 'known_hosts')]).map((f) =>
    expandTilde(percentExpand(f, ctx, src), src.home),
  );
  const strict = (first(c.stricthostkeychecking) ?? 'ask').toLowerCase();
  const agent = first(c.identityagent);
  const jumpSpec = first(c.proxyjump);
  const jumps: SshTarget[] = [];
  if (jumpSpec && jumpSpec.toLowerCase() !== 'none') {
    // Each hop is resolved through the config too; the last hop is the one next to the target.
    const hops = jumpSpec.split(',').map((h) => h.trim()).filter(Boolean);
    for (const hop of hops) {
      const j = resolveTarget(hop, src, config, depth + 1);
      jumps.push(...j.jumps, { ...j, jumps: [] });
    }
  }
  return {
    name: dest,
    host,
    port,
    user,
    identityFiles,
    identitiesOnly: /^yes$/i.test(first(c.identitiesonly) ?? ''),
    identityAgent: agentSocket(agent, src),
    hostKeyName: first(c.hostkeyalias) ?? host,
    userKnownHostsFiles,
    strictHostKeyChecking: strict === 'yes' || strict === 'no' || strict === 'accept-new' ? strict : 'ask',
    jumps,
  };
}

/** IdentityAgent: `none`, `SSH_AUTH_SOCK` (the environment's), `$VAR`, or a socket path. */
function agentSocket(agent: string | undefined, src: ConfigSource): string | null {
  if (!agent || agent === 'SSH_AUTH_SOCK') return process.env.SSH_AUTH_SOCK || null;
  if (agent.toLowerCase() === 'none') return null;
  if (agent.startsWith('$')) return process.env[agent.slice(1)] || null;
  return expandTilde(agent, src.home);
}

/** Concrete aliases of the config (no wildcards), resolved, for the connect dialog. */
export function listHosts(src: ConfigSource = defaultConfigSource()): SshHostEntry[] {
  const config = loadConfig(src);
  const aliases = new Set<string>();
  const visit = (cfg: SSHConfig): void => {
    for (const line of cfg) {
      if (line.type !== SSHConfig.DIRECTIVE || !('config' in line)) continue;
      if (line.param.toLowerCase() === 'host') {
        const vals = Array.isArray(line.value) ? line.value.map((v) => v.val) : line.value.split(/\s+/);
        for (const v of vals) if (v && !/[*?!]/.test(v)) aliases.add(v);
      }
    }
  };
  visit(config);
  const out: SshHostEntry[] = [];
  for (const alias of [...aliases].slice(0, 2000)) {
    try {
      const t = resolveTarget(alias, src, config);
      const c = config.compute({ Host: alias }, { ignoreCase: true, matchExec: false });
      out.push({ alias, hostName: t.host, user: t.user, port: t.port, proxyJump: first(c.proxyjump) ?? null });
    } catch {
      // An alias that does not resolve is not offered.
    }
  }
  return out;
}
