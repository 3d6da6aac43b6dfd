/**
 * Detection over the event stream: a handful of rules with a good signal-to-noise ratio for
 * responders. The detector keeps its own small process table (from proc/fork/exec/exit and the
 * network events) because most rules are about context: who is the parent, does it serve the
 * network, is it inside a container.
 *
 * One alert per (rule, process): a shell reading /etc/shadow ten times is one alert with ten
 * pieces of evidence, not ten alerts.
 */
import type { CollectorEvent } from '../../../shared/events';
import { RULES_BY_ID, type Alert } from '../../../shared/alerts';

interface Proc {
  pid: number;
  ppid: number;
  start: number | null;
  comm: string;
  exe: string;
  uid: number | null;
  cid: string | null;
  /** Has listened on or accepted a socket: a network service. */
  serves: boolean;
  /** Descends from a shell that a network service started: the intrusion's chain. */
  tainted: boolean;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'csh', 'tcsh', 'fish']);
const NETCAT = new Set(['nc', 'ncat', 'netcat', 'socat', 'nc.openbsd', 'nc.traditional']);
const DOWNLOADERS = new Set(['curl', 'wget', 'tftp', 'ftp', 'fetch', 'aria2c', 'lwp-download']);
const WRITABLE = /^(\/tmp\/|\/var\/tmp\/|\/dev\/shm\/|\/run\/user\/)/;
const SECRETS = /^(\/etc\/shadow|\/etc\/gshadow|\/etc\/sudoers(\.d\/.*)?|\/etc\/security\/opasswd|.*\/\.ssh\/id_[a-z0-9_]+|\/etc\/ssh\/ssh_host_[a-z0-9_]+_key)$/;
const PTRACE_ATTACH = 16;
const PTRACE_SEIZE = 0x4206;
/** Process table bound: oldest exited entries go first. */
const MAX_PROCS = 200_000;

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** The program a shell-like exec really runs: busybox applets run as /bin/busybox with argv[0]. */
function programName(ev: CollectorEvent): string {
  const filename = typeof ev.filename === 'string' ? ev.filename : typeof ev.exe === 'string' ? ev.exe : '';
  const argv = Array.isArray(ev.argv) ? (ev.argv as string[]) : [];
  const b = base(filename);
  if (b === 'busybox' || filename === '/proc/self/exe') {
    // `busybox nc …` names the applet in argv[1]; a symlinked applet in argv[0].
    const a0 = base(argv[0] ?? '');
    if (a0 === 'busybox' && argv[1]) return base(argv[1]);
    if (a0) return a0;
  }
  return b || (typeof ev.comm === 'string' ? ev.comm : '');
}

export class Detector {
  private readonly procs = new Map<number, Proc>();
  private readonly seen = new Map<string, Alert>();

  /**
   * Feeds one validated event; returns alerts that are new. Evidence of an existing alert is
   * appended in place (the caller may persist the update; `ref` is the event's sequence number).
   */
  observe(ev: CollectorEvent, ref: number): Alert[] {
    const out: Alert[] = [];
    const pid = ev.pid ?? -1;
    switch (ev.kind) {
      case 'proc':
        this.remember(ev, programName(ev));
        break;
      case 'fork': {
        // Pre-forking servers hand connections to children: a child of a service serves too,
        // until it executes something else.
        const parent = this.procs.get(ev.ppid ?? -1);
        const child = this.remember(ev, programName(ev));
        child.serves = parent?.serves === true;
        child.tainted = parent?.tainted === true;
        break;
      }
      case 'exec': {
        const parent = this.procs.get(ev.ppid ?? -1);
        const before = this.procs.get(pid);
        // A service may exec the shell itself (nc -e, inetd-style) or fork a child that does.
        const servedBefore = before?.serves === true && (ev.start === undefined || before.start === null || before.start === ev.start);
        const name = programName(ev);
        const me = this.remember(ev, name);
        const filename = String(ev.filename ?? '');
        // A script run through a shell (#!/bin/sh) is a shell as far as an attacker cares.
        const argv0 = Array.isArray(ev.argv) && typeof ev.argv[0] === 'string' ? base(ev.argv[0]) : '';
        const shellScript = !SHELLS.has(name) && SHELLS.has(argv0) && base(filename) !== argv0;
        if ((SHELLS.has(name) || shellScript) && (parent?.serves || servedBefore)) {
          const who = servedBefore ? before! : parent!;
          const what = shellScript ? `${argv0} script ${filename}` : name;
          this.raise(out, 'shell-from-service', ev, ref, `${what} started by ${who.comm} (pid ${who.pid}), which serves the network`);
          me.tainted = true;
        }
        // `exe` is the binary behind /proc/self/exe or an fd (fexecve): a dropped payload can hide there.
        const exe = typeof ev.exe === 'string' ? ev.exe : '';
        if (WRITABLE.test(filename) || WRITABLE.test(exe) || ev.exe_upper === true) {
          const shown = WRITABLE.test(filename) || !exe ? filename : `${exe} (as ${filename})`;
          this.raise(out, 'exec-from-writable', ev, ref, `${shown} executed${ev.exe_upper === true ? ' from the container\'s writable layer' : ''}`);
        }
        // Downloads are routine in builds and health checks; they matter in an intrusion chain
        // or straight from a service.
        if (DOWNLOADERS.has(name) && (me.tainted || parent?.serves === true)) {
          this.raise(out, 'download-tool', ev, ref, `${name} ${(Array.isArray(ev.argv) ? (ev.argv as string[]).slice(1).join(' ') : '').slice(0, 200)}`);
        }
        me.serves = false;
        break;
      }
      case 'exit':
        // Keep exited processes for context (their children may still act) but mark them
        // for eviction first when the table is full.
        break;
      case 'open': {
        const path = String(ev.path ?? '');
        if (SECRETS.test(path)) this.raise(out, 'sensitive-file-read', ev, ref, `${ev.comm ?? '?'} opened ${path}${typeof ev.ret === 'number' && ev.ret < 0 ? ` (denied: ${ev.ret})` : ''}`);
        break;
      }
      case 'net': {
        const p = this.procOf(ev);
        if (ev.op === 'listen' || ev.op === 'accept') p.serves = true;
        if (ev.op === 'connect' && ev.proto !== 'udp' && typeof ev.daddr === 'string') {
          const name = p.comm;
          if (SHELLS.has(name) || NETCAT.has(name)) {
            this.raise(out, 'shell-outbound', ev, ref, `${name} connecting to ${ev.daddr}:${String(ev.dport ?? '?')}`);
          }
        }
        break;
      }
      case 'ptrace':
        if ((ev.request === PTRACE_ATTACH || ev.request === PTRACE_SEIZE) && ev.target !== pid) {
          this.raise(out, 'ptrace-attach', ev, ref, `${ev.comm ?? '?'} attached to pid ${String(ev.target)}`);
        }
        break;
      case 'module':
        if (ev.ret === undefined || (typeof ev.ret === 'number' && ev.ret >= 0)) {
          this.raise(out, 'module-load', ev, ref, `${String(ev.op)} ${typeof ev.name === 'string' ? ev.name : ''}`.trim());
        }
        break;
      case 'cred': {
        const args = Array.isArray(ev.args) ? (ev.args as number[]) : [];
        const becomesRoot = (ev.op === 'setuid' && args[0] === 0) || ((ev.op === 'setreuid' || ev.op === 'setresuid') && args.includes(0));
        if (becomesRoot && (ev.uid ?? 0) !== 0 && (ev.ret === undefined || ev.ret === 0)) {
          this.raise(out, 'setuid-root', ev, ref, `${ev.comm ?? '?'} (uid ${String(ev.uid)}) called ${String(ev.op)}(${args.join(', ')})`);
        }
        break;
      }
      case 'ns':
      case 'mount':
        if (ev.cid && (ev.ret === undefined || ev.ret === 0)) {
          this.raise(out, 'namespace-change', ev, ref, `${ev.comm ?? '?'} called ${String(ev.op)} inside container ${String(ev.cid).slice(0, 12)}`);
        }
        break;
    }
    return out;
  }

  /** Every alert raised so far, with all its evidence. */
  alerts(): Alert[] {
    return [...this.seen.values()];
  }

  private procOf(ev: CollectorEvent): Proc {
    return this.procs.get(ev.pid ?? -1) ?? this.remember(ev, typeof ev.comm === 'string' ? ev.comm : '?');
  }

  private remember(ev: CollectorEvent, name: string): Proc {
    const pid = ev.pid ?? -1;
    const prev = this.procs.get(pid);
    const same = prev && (ev.start === undefined || prev.start === null || prev.start === ev.start);
    const p: Proc = {
      pid,
      ppid: ev.ppid ?? prev?.ppid ?? 0,
      start: ev.start ?? prev?.start ?? null,
      comm: name || prev?.comm || '?',
      exe: typeof ev.filename === 'string' ? ev.filename : typeof ev.exe === 'string' ? ev.exe : (same ? prev?.exe : '') ?? '',
      uid: ev.uid ?? null,
      cid: ev.cid ?? null,
      serves: same ? (prev?.serves ?? false) : false,
      tainted: same ? (prev?.tainted ?? false) : false,
    };
    if (this.procs.size >= MAX_PROCS) {
      const oldest = this.procs.keys().next().value;
      if (oldest !== undefined) this.procs.delete(oldest);
    }
    this.procs.delete(pid);
    this.procs.set(pid, p);
    return p;
  }

  private raise(out: Alert[], rule: string, ev: CollectorEvent, ref: number, message: string): void {
    const info = RULES_BY_ID.get(rule)!;
    const key = `${rule}:${ev.pid}:${ev.start ?? ''}`;
    const existing = this.seen.get(key);
    if (existing) {
      if (existing.evidence.length < 1000) existing.evidence.push(ref);
      return;
    }
    const alert: Alert = {
      rule,
      severity: info.severity,
      title: info.title,
      message,
      ts: ev.ts ?? 0,
      pid: ev.pid ?? -1,
      start: ev.start ?? null,
      comm: typeof ev.comm === 'string' ? ev.comm : '?',
      cid: ev.cid ?? null,
      evidence: [ref],
    };
    this.seen.set(key, alert);
    out.push(alert);
  }
}
