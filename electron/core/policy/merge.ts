/**
 * Merging drafts of one workload from several captures or replicas: the union of what each saw,
 * evidence kept from all, provenance listing every source. Policies of different types, or
 * NetworkPolicies for different pods, do not merge.
 */
import type { CapsPolicy, NetPolicy, Policy, Provenance, SeccompPolicy } from '../../../shared/policy';
import { mergeEvidence } from './observe/evidence';
import { atomsOf, canon, consolidate } from './netpol/consolidate';

export function mergeProvenance(list: Array<Provenance | undefined>): Provenance | undefined {
  const ps = list.filter((p): p is Provenance => !!p);
  if (!ps.length) return undefined;
  const out: Provenance = { captures: [...new Set(ps.flatMap((p) => p.captures))].sort() };
  const same = <K extends 'node' | 'pod' | 'namespace' | 'container' | 'containerName' | 'image' | 'collector'>(k: K) => {
    const vals = [...new Set(ps.map((p) => p[k]).filter((v): v is string => !!v))].sort();
    if (vals.length) out[k] = vals.join(',');
  };
  for (const k of ['node', 'pod', 'namespace', 'container', 'containerName', 'image', 'collector'] as const) same(k);
  const froms = ps.flatMap((p) => (p.from !== undefined ? [p.from] : []));
  const tos = ps.flatMap((p) => (p.to !== undefined ? [p.to] : []));
  if (froms.length) out.from = Math.min(...froms);
  if (tos.length) out.to = Math.max(...tos);
  const wf = ps.flatMap((p) => (p.wallFrom ? [p.wallFrom] : [])).sort();
  const wt = ps.flatMap((p) => (p.wallTo ? [p.wallTo] : [])).sort();
  if (wf.length) out.wallFrom = wf[0]!;
  if (wt.length) out.wallTo = wt[wt.length - 1]!;
  return out;
}

export function mergePolicies(list: Policy[]): Policy {
  const first = list[0];
  if (!first) throw new Error('nothing to merge');
  for (const p of list) if (p.type !== first.type) throw new Error(`cannot merge a ${first.type} policy with a ${p.type} policy`);
  switch (first.type) {
    case 'seccomp':
      return mergeSeccomp(list as SeccompPolicy[]);
    case 'caps':
      return mergeCaps(list as CapsPolicy[]);
    case 'netpol':
      return mergeNetpol(list as NetPolicy[]);
  }
}

function withProvenance<T extends Policy>(p: T, list: Policy[]): T {
  const prov = mergeProvenance(list.map((x) => x.provenance));
  if (prov) p.provenance = prov;
  else delete p.provenance;
  return p;
}

function mergeSeccomp(list: SeccompPolicy[]): SeccompPolicy {
  const allow = new Map<string, SeccompPolicy['allow'][number]>();
  for (const p of list)
    for (const r of p.allow) {
      const cur = allow.get(r.name);
      allow.set(r.name, cur ? { name: r.name, evidence: mergeEvidence(cur.evidence, r.evidence) } : { name: r.name, evidence: [...r.evidence] });
    }
  const other = new Map<string, SeccompPolicy['other'][number]>();
  for (const p of list) for (const o of p.other) other.set(canon(o), o);
  // what an input blocks outright stays blocked: a loaded baseline is extended, never loosened
  for (const o of other.values())
    if (!o.args?.length && o.action !== 'SCMP_ACT_ALLOW' && o.action !== 'SCMP_ACT_LOG') for (const n of o.names) allow.delete(n);
  const first = list[0]!;
  const out: SeccompPolicy = {
    type: 'seccomp',
    defaultAction: first.defaultAction,
    architectures: [...new Set(list.flatMap((p) => p.architectures))].sort(),
    allow: [...allow.values()].sort((a, b) => a.name.localeCompare(b.name)),
    other: [...other.values()],
  };
  if (first.defaultErrnoRet !== undefined) out.defaultErrnoRet = first.defaultErrnoRet;
  return withProvenance(out, list);
}

function mergeCaps(list: CapsPolicy[]): CapsPolicy {
  const add = new Map<string, CapsPolicy['add'][number]>();
  const review = new Map<string, CapsPolicy['review'][number]>();
  for (const p of list) {
    for (const r of p.add) {
      const cur = add.get(r.cap);
      // an observed check outranks an inference
      const basis = cur && (cur.basis === 'observed' || r.basis === 'observed') ? 'observed' : r.basis;
      add.set(r.cap, { ...(cur ?? r), basis, evidence: mergeEvidence(cur?.evidence ?? [], r.evidence) });
    }
    for (const r of p.review) {
      const cur = review.get(r.cap);
      review.set(r.cap, { ...(cur ?? r), evidence: mergeEvidence(cur?.evidence ?? [], r.evidence) });
    }
  }
  for (const c of add.keys()) review.delete(c);
  const drop = list.every((p) => p.drop.includes('ALL')) ? ['ALL'] : [...new Set(list.flatMap((p) => p.drop))].filter((d) => list.every((p) => p.drop.includes(d) || p.drop.includes('ALL'))).sort();
  const byCap = (a: { cap: string }, b: { cap: string }) => a.cap.localeCompare(b.cap);
  return withProvenance({ type: 'caps', drop, add: [...add.values()].sort(byCap), review: [...review.values()].sort(byCap) }, list);
}

function mergeNetpol(list: NetPolicy[]): NetPolicy {
  const first = list[0]!;
  for (const p of list)
    if (p.namespace !== first.namespace || canon(p.podSelector) !== canon(first.podSelector))
      throw new Error(`${p.namespace}/${p.name} selects other pods than ${first.namespace}/${first.name}: not the same workload`);
  const types = new Set(list.flatMap((p) => p.policyTypes));
  return withProvenance(
    {
      type: 'netpol',
      name: first.name,
      namespace: first.namespace,
      podSelector: first.podSelector,
      policyTypes: (['Ingress', 'Egress'] as const).filter((t) => types.has(t)),
      ingress: consolidate(list.flatMap((p) => atomsOf(p.ingress))),
      egress: consolidate(list.flatMap((p) => atomsOf(p.egress))),
    },
    list,
  );
}
