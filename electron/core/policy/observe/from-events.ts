/**
 * Builds observed behaviour per workload from validated collector events (a capture file, the
 * store, or a live stream): the plain data the draft generators take.
 *
 * Workloads are containers (`cid`) by default; `by: 'netns'` groups by network namespace instead,
 * which is how pods look from the network (and how test hosts in bare namespaces look).
 * The runtime's own processes (`runc:[0:PARENT]`… before exec) are left out of flows and
 * capabilities: their work is the runtime's, not the workload's. Syscall sets say so themselves
 * through their phase.
 */
import type { CollectorEvent } from '../../../../shared/events';
import type {
  Arch,
  CapHint,
  Evidence,
  Observed,
  ObservedCap,
  ObservedFlow,
  ObservedSyscall,
  Proto,
  Provenance,
  SyscallPhase,
} from '../../../../shared/policy';
import { parseArch, syscallName } from '../syscalls';
import { addEvidence, evidenceOf, type SourcedEvent } from './evidence';
import { hintFromEvent, SYSCALL_HINTS } from './cap-hints';

export interface ObserveOptions {
  by?: 'container' | 'netns';
  /** Boot-time ns bounds (inclusive); events outside are skipped. */
  from?: number;
  to?: number;
  /** Wall-clock bounds in ms since the epoch (inclusive), through the hello line's clock anchor. */
  wallFrom?: number;
  wallTo?: number;
}

interface Acc {
  key: string;
  arch: Arch;
  prov: Provenance;
  addresses: Set<string>;
  syscalls: Map<string, ObservedSyscall>;
  flows: Map<string, ObservedFlow>;
  caps: Map<string, ObservedCap>;
  hints: Map<string, CapHint>;
}

const PROTO: Record<string, Proto> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

export function isRuntimeProcess(comm: unknown): boolean {
  return typeof comm === 'string' && comm.startsWith('runc:');
}

export interface Observer {
  add(s: SourcedEvent): void;
  finish(): Observed[];
}

export function observe(events: Iterable<SourcedEvent>, opts: ObserveOptions = {}): Observed[] {
  const o = createObserver(opts);
  for (const s of events) o.add(s);
  return o.finish();
}

/** Incremental form: events are folded in one at a time, so a capture never sits in memory. */
export function createObserver(opts: ObserveOptions = {}): Observer {
  const by = opts.by ?? 'container';
  const accs = new Map<string, Acc>();
  const containers = new Map<string, CollectorEvent>();
  let node: string | undefined;
  let collector: string | undefined;
  let arch: Arch = 'x86_64';
  let capProbe = false;
  /** wall_ns - boot_ns of the hello line, in ms (wall-clock ns exceed 2^53). */
  let offsetMs: number | undefined;

  const acc = (key: string, s: SourcedEvent): Acc => {
    let a = accs.get(key);
    if (!a) {
      a = {
        key,
        arch,
        prov: { captures: [] },
        addresses: new Set(),
        syscalls: new Map(),
        flows: new Map(),
        caps: new Map(),
        hints: new Map(),
      };
      accs.set(key, a);
    }
    const e = s.event;
    if (node) a.prov.node = node;
    if (collector) a.prov.collector = collector;
    if (s.capture && !a.prov.captures.includes(s.capture)) a.prov.captures.push(s.capture);
    if (typeof e.ts === 'number' && e.ts > 0) {
      a.prov.from = a.prov.from === undefined ? e.ts : Math.min(a.prov.from, e.ts);
      a.prov.to = a.prov.to === undefined ? e.ts : Math.max(a.prov.to, e.ts);
      if (offsetMs !== undefined) {
        a.prov.wallFrom = wall(a.prov.from, offsetMs);
        a.prov.wallTo = wall(a.prov.to, offsetMs);
      }
    }
    const cid = e.cid;
    if (typeof cid === 'string') {
      const c = containers.get(cid);
      a.prov.container = cid;
      if (c) {
        if (typeof c.name === 'string') a.prov.containerName = c.name;
        if (typeof c.image === 'string') a.prov.image = c.image;
        if (typeof c.pod === 'string') a.prov.pod = c.pod;
        if (typeof c.namespace === 'string') a.prov.namespace = c.namespace;
      }
    }
    return a;
  };

  const keyOf = (e: CollectorEvent): string | undefined => {
    if (by === 'netns') return typeof e.netns === 'number' ? `netns:${e.netns}` : undefined;
    return typeof e.cid === 'string' ? e.cid : undefined;
  };

  const hint = (a: Acc, cap: string, why: string, ev: Evidence) => {
    const k = `${cap}\0${why}`;
    let h = a.hints.get(k);
    if (!h) a.hints.set(k, (h = { cap, why, evidence: [] }));
    addEvidence(h.evidence, ev);
  };

  const add = (s: SourcedEvent): void => {
    const e = s.event;
    if (e.kind === 'hello') {
      node = typeof e.hostname === 'string' ? e.hostname : node;
      collector = typeof e.collector === 'string' ? e.collector : collector;
      arch = parseArch(e.arch) ?? arch;
      const probes = e.probes as Record<string, { live?: boolean }> | undefined;
      capProbe = capProbe || probes?.cap?.live === true;
      const clock = e.clock as { boot_ns?: number; wall_ns?: number } | undefined;
      if (typeof clock?.wall_ns === 'number' && typeof clock.boot_ns === 'number') offsetMs = clock.wall_ns / 1e6 - clock.boot_ns / 1e6;
      return;
    }
    if (e.kind === 'container') {
      if (typeof e.cid === 'string') containers.set(e.cid, e);
      return;
    }
    if (typeof e.ts === 'number' && ((opts.from !== undefined && e.ts < opts.from) || (opts.to !== undefined && e.ts > opts.to))) return;
    if (typeof e.ts === 'number' && offsetMs !== undefined) {
      const ms = e.ts / 1e6 + offsetMs;
      if ((opts.wallFrom !== undefined && ms < opts.wallFrom) || (opts.wallTo !== undefined && ms > opts.wallTo)) return;
    }
    const key = keyOf(e);
    if (key === undefined) return;

    if (e.kind === 'syscalls') {
      const a = acc(key, s);
      const sarch = parseArch(e.arch) ?? a.arch;
      a.arch = sarch;
      const phase: SyscallPhase = e.phase === 'runtime' ? 'runtime' : 'workload';
      for (const nr of e.nr as number[]) {
        const name = syscallName(sarch, nr);
        const k = `${phase}\0${name}`;
        let sc = a.syscalls.get(k);
        if (!sc) a.syscalls.set(k, (sc = { nr, name, phase, evidence: [] }));
        const ev = evidenceOf(s, `${phase} set`);
        addEvidence(sc.evidence, ev);
        const h = SYSCALL_HINTS[name];
        if (h && phase === 'workload') hint(a, h.cap, h.why, ev);
      }
      return;
    }
    if (isRuntimeProcess(e.comm)) return;

    if (e.kind === 'net') {
      const a = acc(key, s);
      if (typeof e.saddr === 'string' && e.saddr !== '' && !isUnspecified(e.saddr)) a.addresses.add(e.saddr);
      const h = hintFromEvent(e);
      if (h) hint(a, h.cap, h.why, evidenceOf(s, h.why));
      const flow = flowOf(e);
      if (flow) {
        const k = `${flow.direction}\0${flow.proto}\0${flow.peerAddr}\0${flow.direction === 'egress' ? flow.peerPort : flow.localPort}`;
        let f = a.flows.get(k);
        if (!f) a.flows.set(k, (f = { ...flow, evidence: [] }));
        addEvidence(f.evidence, evidenceOf(s, describeFlow(flow, e.ret)));
      }
      return;
    }
    if (e.kind === 'cap') {
      const a = acc(key, s);
      const name = typeof e.cap_name === 'string' ? e.cap_name : `CAP_${e.cap}`;
      const verdict = e.verdict === 'deny' ? 'deny' : 'allow';
      const k = `${name}\0${verdict}\0${e.audit}`;
      let c = a.caps.get(k);
      if (!c) {
        c = { cap: name, verdict, evidence: [] };
        if (typeof e.audit === 'boolean') c.audit = e.audit;
        a.caps.set(k, c);
      }
      addEvidence(c.evidence, evidenceOf(s, `${name} ${verdict}`));
      return;
    }
    const h = hintFromEvent(e);
    if (h) {
      const a = acc(key, s);
      hint(a, h.cap, h.why, evidenceOf(s, h.why));
    }
  };

  const finish = (): Observed[] => {
    const out: Observed[] = [];
    for (const a of accs.values()) {
      a.prov.captures.sort();
      out.push({
        key: a.key,
        arch: a.arch,
        provenance: a.prov,
        addresses: [...a.addresses].sort(),
        syscalls: [...a.syscalls.values()].sort((x, y) => x.phase.localeCompare(y.phase) || x.nr - y.nr),
        flows: [...a.flows.values()].sort(flowOrder),
        caps: [...a.caps.values()].sort((x, y) => x.cap.localeCompare(y.cap) || x.verdict.localeCompare(y.verdict)),
        capHints: [...a.hints.values()].sort((x, y) => x.cap.localeCompare(y.cap) || x.why.localeCompare(y.why)),
        capProbe,
      });
    }
    return out.sort((x, y) => x.key.localeCompare(y.key));
  };
  return { add, finish };
}

function wall(bootNs: number, offsetMs: number): string | undefined {
  const d = new Date(bootNs / 1e6 + offsetMs);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function isUnspecified(addr: string): boolean {
  return addr === '0.0.0.0' || addr === '::';
}

function flowOf(e: CollectorEvent): Omit<ObservedFlow, 'evidence'> | undefined {
  const proto = PROTO[String(e.proto)];
  if (!proto) return undefined;
  const { saddr, sport, daddr, dport } = e as { saddr?: unknown; sport?: unknown; daddr?: unknown; dport?: unknown };
  if (typeof daddr !== 'string' || typeof dport !== 'number' || typeof saddr !== 'string' || typeof sport !== 'number') return undefined;
  if (e.op === 'connect' || e.op === 'send') {
    if (dport === 0 || isUnspecified(daddr)) return undefined;
    return { direction: 'egress', proto, localAddr: saddr, localPort: sport, peerAddr: daddr, peerPort: dport };
  }
  if (e.op === 'accept') return { direction: 'ingress', proto, localAddr: saddr, localPort: sport, peerAddr: daddr, peerPort: dport };
  return undefined;
}

function describeFlow(f: Omit<ObservedFlow, 'evidence'>, ret: unknown): string {
  const r = typeof ret === 'number' && ret < 0 && ret !== -115 ? ` (failed ${ret})` : '';
  return f.direction === 'egress'
    ? `connect ${f.peerAddr}:${f.peerPort}/${f.proto}${r}`
    : `accept ${f.peerAddr} on port ${f.localPort}/${f.proto}`;
}

function flowOrder(x: ObservedFlow, y: ObservedFlow): number {
  return (
    x.direction.localeCompare(y.direction) ||
    x.proto.localeCompare(y.proto) ||
    x.peerAddr.localeCompare(y.peerAddr) ||
    x.peerPort - y.peerPort ||
    x.localPort - y.localPort
  );
}
