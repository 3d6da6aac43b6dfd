/**
 * Turns (peer, port) pairs into few readable rules: ports merged per peer, then peers with the
 * same port set in one rule; everything sorted by canonical JSON so output is deterministic.
 */
import type { Evidence, NetPeer, NetPort, NetRule } from '../../../../shared/policy';
import { mergeEvidence } from '../observe/evidence';

export interface Atom {
  /** Undefined: every peer. */
  peer?: NetPeer;
  /** Undefined: every port. */
  port?: NetPort;
  evidence: Evidence[];
}

export function canon(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : val,
  ) ?? 'undefined';
}

export function atomsOf(rules: NetRule[]): Atom[] {
  const out: Atom[] = [];
  for (const r of rules) {
    const peers: Array<NetPeer | undefined> = r.peers.length ? r.peers : [undefined];
    const ports: Array<NetPort | undefined> = r.ports.length ? r.ports : [undefined];
    for (const peer of peers)
      for (const port of ports) {
        const a: Atom = { evidence: r.evidence };
        if (peer) a.peer = peer;
        if (port) a.port = port;
        out.push(a);
      }
  }
  return out;
}

export function consolidate(atoms: Atom[]): NetRule[] {
  const groups = new Map<string, { peer?: NetPeer; ports: Map<string, { port?: NetPort; evidence: Evidence[] }> }>();
  for (const a of atoms) {
    const gk = canon(a.peer);
    let g = groups.get(gk);
    if (!g) {
      g = { ports: new Map() };
      if (a.peer) g.peer = a.peer;
      groups.set(gk, g);
    }
    const pk = canon(a.port);
    const e = g.ports.get(pk);
    if (e) e.evidence = mergeEvidence(e.evidence, a.evidence);
    else g.ports.set(pk, a.port ? { port: a.port, evidence: [...a.evidence] } : { evidence: [...a.evidence] });
  }
  const byPorts = new Map<string, NetRule & { anyPeer: boolean }>();
  for (const g of groups.values()) {
    // "every port" makes specific ports of the same peer redundant
    const all = [...g.ports.values()];
    const any = all.find((p) => !p.port);
    const ports = any ? [any] : all.sort((a, b) => portOrder(a.port!, b.port!));
    const portList = ports.flatMap((p) => (p.port ? [p.port] : []));
    const key = canon(portList);
    const evidence = all.reduce<Evidence[]>((acc, p) => mergeEvidence(acc, p.evidence), []);
    const r = byPorts.get(key);
    if (r) {
      if (g.peer) r.peers.push(g.peer);
      else r.anyPeer = true;
      r.evidence = mergeEvidence(r.evidence, evidence);
    } else byPorts.set(key, { peers: g.peer ? [g.peer] : [], ports: portList, evidence, anyPeer: !g.peer });
  }
  const out: NetRule[] = [];
  for (const r of byPorts.values()) {
    const peers = r.anyPeer ? [] : r.peers.sort((a, b) => canon(a).localeCompare(canon(b)));
    out.push({ peers, ports: r.ports, evidence: r.evidence });
  }
  return out.sort((a, b) => canon([a.peers, a.ports]).localeCompare(canon([b.peers, b.ports])));
}

function portOrder(a: NetPort, b: NetPort): number {
  return a.protocol.localeCompare(b.protocol) || Number(a.port ?? 0) - Number(b.port ?? 0) || String(a.port).localeCompare(String(b.port));
}
