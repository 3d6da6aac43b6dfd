/**
 * Semantic diff of two policies of one type: what the second allows that the first did not
 * (added / widened) and the reverse (removed / narrowed), each entry with the evidence of the
 * rule it concerns. Formatting, order and comments never show up.
 */
import type { CapsPolicy, DiffEntry, Evidence, NetPolicy, NetRule, Policy, SeccompPolicy } from '../../../../shared/policy';
import { canon } from '../netpol/consolidate';
import { HIGH_RISK } from '../seccomp/risk';

export function semanticDiff(a: Policy, b: Policy): DiffEntry[] {
  if (a.type !== b.type) throw new Error(`cannot compare a ${a.type} policy with a ${b.type} policy`);
  switch (a.type) {
    case 'seccomp':
      return diffSeccomp(a, b as SeccompPolicy);
    case 'caps':
      return diffCaps(a, b as CapsPolicy);
    case 'netpol':
      return diffNetpol(a, b as NetPolicy);
  }
}

const PERMISSIVE = ['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG', 'SCMP_ACT_TRACE', 'SCMP_ACT_NOTIFY', 'SCMP_ACT_ERRNO', 'SCMP_ACT_TRAP', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_KILL', 'SCMP_ACT_KILL_PROCESS'];

function diffSeccomp(a: SeccompPolicy, b: SeccompPolicy): DiffEntry[] {
  const out: DiffEntry[] = [];
  if (a.defaultAction !== b.defaultAction || a.defaultErrnoRet !== b.defaultErrnoRet) {
    const wider = PERMISSIVE.indexOf(b.defaultAction) < PERMISSIVE.indexOf(a.defaultAction);
    out.push({
      change: a.defaultAction === b.defaultAction ? 'changed' : wider ? 'widened' : 'narrowed',
      subject: 'defaultAction',
      before: a.defaultAction + (a.defaultErrnoRet !== undefined ? ` errno ${a.defaultErrnoRet}` : ''),
      after: b.defaultAction + (b.defaultErrnoRet !== undefined ? ` errno ${b.defaultErrnoRet}` : ''),
      evidence: [],
    });
  }
  const aa = new Set(a.architectures);
  const ba = new Set(b.architectures);
  for (const x of b.architectures) if (!aa.has(x)) out.push({ change: 'added', subject: `architecture ${x}`, evidence: [] });
  for (const x of a.architectures) if (!ba.has(x)) out.push({ change: 'removed', subject: `architecture ${x}`, evidence: [] });
  const am = new Map(a.allow.map((r) => [r.name, r]));
  const bm = new Map(b.allow.map((r) => [r.name, r]));
  for (const [n, r] of [...bm].sort()) {
    if (am.has(n)) continue;
    const e: DiffEntry = { change: 'added', subject: `syscall ${n}`, evidence: r.evidence };
    if (HIGH_RISK[n]) e.after = `high risk: ${HIGH_RISK[n]}`;
    out.push(e);
  }
  for (const [n, r] of [...am].sort()) if (!bm.has(n)) out.push({ change: 'removed', subject: `syscall ${n}`, evidence: r.evidence });
  const ao = new Set(a.other.map(canon));
  const bo = new Set(b.other.map(canon));
  for (const o of b.other) if (!ao.has(canon(o))) out.push({ change: 'added', subject: `rule ${o.action} ${o.names.join(',')}`, evidence: [] });
  for (const o of a.other) if (!bo.has(canon(o))) out.push({ change: 'removed', subject: `rule ${o.action} ${o.names.join(',')}`, evidence: [] });
  return out;
}

function diffCaps(a: CapsPolicy, b: CapsPolicy): DiffEntry[] {
  const out: DiffEntry[] = [];
  const ad = new Set(a.drop);
  const bd = new Set(b.drop);
  for (const d of b.drop) if (!ad.has(d)) out.push({ change: 'narrowed', subject: `drop ${d}`, evidence: [] });
  for (const d of a.drop) if (!bd.has(d)) out.push({ change: 'widened', subject: `drop ${d} no longer`, evidence: [] });
  const am = new Map(a.add.map((r) => [r.cap, r]));
  const bm = new Map(b.add.map((r) => [r.cap, r]));
  for (const [c, r] of [...bm].sort()) if (!am.has(c)) out.push({ change: 'added', subject: `capability ${c}`, after: r.basis, evidence: r.evidence });
  for (const [c, r] of [...am].sort()) if (!bm.has(c)) out.push({ change: 'removed', subject: `capability ${c}`, before: r.basis, evidence: r.evidence });
  return out;
}

/** A rule reduced to atoms: one (peer, port) pair each, so regrouped rules compare equal. */
function atoms(rules: NetRule[]): Map<string, { peer: string; port: string; evidence: Evidence[] }> {
  const out = new Map<string, { peer: string; port: string; evidence: Evidence[] }>();
  for (const r of rules) {
    const peers = r.peers.length ? r.peers.map(canon) : ['any peer'];
    const ports = r.ports.length ? r.ports.map(canon) : ['any port'];
    for (const p of peers) for (const q of ports) out.set(`${p}|${q}`, { peer: p, port: q, evidence: r.evidence });
  }
  return out;
}

function diffNetpol(a: NetPolicy, b: NetPolicy): DiffEntry[] {
  const out: DiffEntry[] = [];
  if (canon(a.podSelector) !== canon(b.podSelector))
    out.push({ change: 'changed', subject: 'podSelector', before: canon(a.podSelector), after: canon(b.podSelector), evidence: [] });
  if (a.namespace !== b.namespace) out.push({ change: 'changed', subject: 'namespace', before: a.namespace, after: b.namespace, evidence: [] });
  for (const t of ['Ingress', 'Egress'] as const) {
    const inA = a.policyTypes.includes(t);
    const inB = b.policyTypes.includes(t);
    if (inA && !inB) out.push({ change: 'widened', subject: `policyTypes ${t} (no longer isolated)`, evidence: [] });
    if (!inA && inB) out.push({ change: 'narrowed', subject: `policyTypes ${t} (now isolated)`, evidence: [] });
  }
  for (const dir of ['ingress', 'egress'] as const) {
    const aa = atoms(a[dir]);
    const ba = atoms(b[dir]);
    const anyPort = (m: typeof aa, peer: string) => m.has(`${peer}|any port`);
    for (const [k, v] of ba) {
      if (aa.has(k)) continue;
      const peerKnown = [...aa.values()].some((x) => x.peer === v.peer);
      out.push({ change: peerKnown ? 'widened' : 'added', subject: `${dir} ${v.peer} port ${v.port}`, evidence: v.evidence });
    }
    for (const [k, v] of aa) {
      if (ba.has(k) || anyPort(ba, v.peer)) continue;
      const peerKept = [...ba.values()].some((x) => x.peer === v.peer);
      out.push({ change: peerKept ? 'narrowed' : 'removed', subject: `${dir} ${v.peer} port ${v.port}`, evidence: v.evidence });
    }
  }
  return out;
}
