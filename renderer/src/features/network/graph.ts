/** Connections seen, as a graph: local endpoints (pods, host processes) and their peers. Pure. */
import type { ContainerRow, EventRow } from '../../../../shared/api';

export type Verdict = 'allowed' | 'denied' | 'unknown';

export interface NetNode {
  id: string;
  label: string;
  kind: 'pod' | 'host' | 'external' | 'loopback';
  group: string;
}
export interface NetEdge {
  id: string;
  source: string;
  target: string;
  proto: string;
  port: number;
  count: number;
  /** First event behind the edge (click → events). */
  seq: number;
  /** Every event behind the edge (matched against audit evidence). */
  seqs: number[];
  verdict: Verdict;
}

// "{op} {proto} {saddr}:{sport} → {daddr}:{dport}" (shared/events.ts summary of net lines)
const SUMMARY = /^(\w+) (\w+) (\S*):(\d+) → (\S*):(\d+)$/;

export function buildGraph(rows: readonly EventRow[], containers: ReadonlyMap<string, ContainerRow>): { nodes: NetNode[]; edges: NetEdge[]; skipped: number } {
  const nodes = new Map<string, NetNode>();
  const edges = new Map<string, NetEdge>();
  let skipped = 0;
  for (const r of rows) {
    const m = SUMMARY.exec(r.summary);
    if (!m) {
      skipped++;
      continue;
    }
    const [, op, proto, , sport, daddr, dport] = m as unknown as [string, string, string, string, string, string, string];
    if (op !== 'connect' && op !== 'accept' && op !== 'send') continue;
    const c = r.cid ? containers.get(r.cid) : undefined;
    const local: NetNode = c
      ? { id: `c:${r.cid}`, label: c.pod ?? c.name ?? r.cid!.slice(0, 12), kind: 'pod', group: c.namespace ?? 'containers' }
      : { id: `h:${r.comm ?? '?'}`, label: r.comm ?? '?', kind: 'host', group: 'host' };
    const loop = /^(127\.|::1$|::ffff:127\.)/.test(daddr);
    // An accepted socket whose peer the probe could not read reports the wildcard address.
    const unknown = daddr === '' || daddr === '::' || daddr === '0.0.0.0';
    const peer: NetNode = loop
      ? { id: `l:${local.id}`, label: 'loopback', kind: 'loopback', group: local.group }
      : unknown
        ? { id: `u:${local.id}`, label: 'peer not recorded', kind: 'external', group: 'outside' }
        : { id: `a:${daddr}`, label: daddr, kind: 'external', group: 'outside' };
    nodes.set(local.id, nodes.get(local.id) ?? local);
    nodes.set(peer.id, nodes.get(peer.id) ?? peer);
    const inbound = op === 'accept';
    const port = Number(inbound ? sport : dport);
    const [s, t] = inbound ? [peer.id, local.id] : [local.id, peer.id];
    const key = `${s}|${t}|${proto}|${port}`;
    const e = edges.get(key);
    if (e) {
      e.count++;
      e.seqs.push(r.seq);
    } else edges.set(key, { id: key, source: s, target: t, proto, port, count: 1, seq: r.seq, seqs: [r.seq], verdict: 'unknown' });
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], skipped };
}

/**
 * Marks edges by an audit of the pods' traffic against a policy: an edge whose events the audit
 * names would be denied; other edges of an audited pod are allowed; the rest stay unknown.
 */
export function applyVerdicts(edges: readonly NetEdge[], audited: ReadonlySet<string>, deniedSeqs: ReadonlySet<number>): NetEdge[] {
  return edges.map((e) => {
    const pod = [e.source, e.target].find((id) => id.startsWith('c:') && audited.has(id.slice(2)));
    if (!pod) return { ...e, verdict: 'unknown' };
    return { ...e, verdict: e.seqs.some((s) => deniedSeqs.has(s)) ? 'denied' : 'allowed' };
  });
}
