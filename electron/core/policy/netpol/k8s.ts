/** Kubernetes NetworkPolicy (networking.k8s.io/v1): written from a NetPolicy and read back. */
import type { LabelSelector, NetPeer, NetPolicy, NetPort, NetRule } from '../../../../shared/policy';
import { array, int, literal, object, oneOf, optional, record, str, type Infer, type Schema } from '../../../../shared/schema';
import { describeEvidence, PolicyParseError, toYaml, type YamlComment } from '../formats/yaml';
import { provenanceAnnotations, provenanceFromAnnotations } from '../provenance';
import { parseCidr } from './ip';

function selectorOut(s: LabelSelector): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.matchLabels && Object.keys(s.matchLabels).length) out.matchLabels = { ...s.matchLabels };
  if (s.matchExpressions?.length) out.matchExpressions = s.matchExpressions.map((e) => ({ ...e }));
  return out;
}

function peerOut(p: NetPeer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.ipBlock) out.ipBlock = p.ipBlock.except?.length ? { cidr: p.ipBlock.cidr, except: [...p.ipBlock.except] } : { cidr: p.ipBlock.cidr };
  if (p.namespaceSelector) out.namespaceSelector = selectorOut(p.namespaceSelector);
  if (p.podSelector) out.podSelector = selectorOut(p.podSelector);
  return out;
}

function portOut(p: NetPort): Record<string, unknown> {
  const out: Record<string, unknown> = { protocol: p.protocol };
  if (p.port !== undefined) out.port = p.port;
  if (p.endPort !== undefined) out.endPort = p.endPort;
  return out;
}

function ruleOut(r: NetRule, dir: 'ingress' | 'egress'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.peers.length) out[dir === 'ingress' ? 'from' : 'to'] = r.peers.map(peerOut);
  if (r.ports.length) out.ports = r.ports.map(portOut);
  return out;
}

export function toNetworkPolicy(p: NetPolicy): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: p.name, namespace: p.namespace };
  const ann = provenanceAnnotations(p.provenance);
  if (Object.keys(ann).length) metadata.annotations = ann;
  const spec: Record<string, unknown> = { podSelector: selectorOut(p.podSelector), policyTypes: [...p.policyTypes] };
  if (p.policyTypes.includes('Ingress') || p.ingress.length) spec.ingress = p.ingress.map((r) => ruleOut(r, 'ingress'));
  if (p.policyTypes.includes('Egress') || p.egress.length) spec.egress = p.egress.map((r) => ruleOut(r, 'egress'));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec };
}

export function networkPolicyYaml(p: NetPolicy, notes: string[] = []): string {
  const comments: YamlComment[] = [];
  (['ingress', 'egress'] as const).forEach((dir) =>
    p[dir].forEach((r, i) => {
      if (r.ports.length) comments.push({ path: ['spec', dir, i, 'ports'], text: describeEvidence(r.evidence, 2) });
    }),
  );
  const header = ['Draft NetworkPolicy from observed traffic: review before applying.', ...notes.map((n) => `note: ${n}`)];
  return toYaml(toNetworkPolicy(p), comments, header.join('\n'));
}

// ---- reading user files -------------------------------------------------------------------

const labelMap = record(str({ max: 63 }), { maxKeys: 64, maxKey: 317 });
const selector = object({
  matchLabels: optional(labelMap),
  matchExpressions: optional(
    array(object({ key: str({ min: 1, max: 317 }), operator: oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: optional(array(str({ max: 63 }), { max: 256 })) }), { max: 64 }),
  ),
});
const cidr = str({ min: 3, max: 49 });
const peer = object({
  podSelector: optional(selector),
  namespaceSelector: optional(selector),
  ipBlock: optional(object({ cidr, except: optional(array(cidr, { max: 256 })) })),
});
const portValue: Schema<number | string> = {
  kind: 'int-or-string',
  check(v, path) {
    if (typeof v === 'number') return int({ min: 1, max: 65535 }).check(v, path);
    return str({ min: 1, max: 15, pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/ }).check(v, path);
  },
};
const port = object({ protocol: optional(oneOf(['TCP', 'UDP', 'SCTP'])), port: optional(portValue), endPort: optional(int({ min: 1, max: 65535 })) });
const MAX_RULES = 1024;
const ingressRule = object({ from: optional(array(peer, { max: 1024 })), ports: optional(array(port, { max: 1024 })) });
const egressRule = object({ to: optional(array(peer, { max: 1024 })), ports: optional(array(port, { max: 1024 })) });

export const NetworkPolicyLoad = object(
  {
    apiVersion: literal('networking.k8s.io/v1'),
    kind: literal('NetworkPolicy'),
    metadata: object(
      { name: str({ min: 1, max: 253 }), namespace: optional(str({ max: 63 })), annotations: optional(record(str({ max: 65536 }), { maxKeys: 256, maxKey: 317 })) },
      { extra: 'keep' },
    ),
    spec: object({
      podSelector: selector,
      policyTypes: optional(array(oneOf(['Ingress', 'Egress']), { max: 2 })),
      ingress: optional(array(ingressRule, { max: MAX_RULES })),
      egress: optional(array(egressRule, { max: MAX_RULES })),
    }),
  },
  { extra: 'keep' },
);
export type NetworkPolicyDoc = Infer<typeof NetworkPolicyLoad>;

/** Plain objects: the schema's maps have no prototype (a hostile "__proto__" key stays data). */
function plainSelector(s: Infer<typeof selector>): LabelSelector {
  const out: LabelSelector = {};
  if (s.matchLabels) out.matchLabels = Object.fromEntries(Object.entries(s.matchLabels));
  if (s.matchExpressions) out.matchExpressions = s.matchExpressions.map((e) => (e.values ? { key: e.key, operator: e.operator, values: [...e.values] } : { key: e.key, operator: e.operator }));
  return out;
}

function peerIn(p: Infer<typeof peer>, path: string): NetPeer {
  const out: NetPeer = {};
  if (p.ipBlock) {
    if (p.podSelector || p.namespaceSelector) throw new PolicyParseError(path, 'ipBlock cannot be combined with selectors');
    if (!parseCidr(p.ipBlock.cidr)) throw new PolicyParseError(`${path}.ipBlock.cidr`, `not a CIDR: ${JSON.stringify(p.ipBlock.cidr)}`);
    (p.ipBlock.except ?? []).forEach((e, i) => {
      if (!parseCidr(e)) throw new PolicyParseError(`${path}.ipBlock.except[${i}]`, `not a CIDR: ${JSON.stringify(e)}`);
    });
    out.ipBlock = p.ipBlock.except ? { cidr: p.ipBlock.cidr, except: p.ipBlock.except } : { cidr: p.ipBlock.cidr };
  }
  if (p.podSelector) out.podSelector = plainSelector(p.podSelector);
  if (p.namespaceSelector) out.namespaceSelector = plainSelector(p.namespaceSelector);
  if (!out.ipBlock && !out.podSelector && !out.namespaceSelector) throw new PolicyParseError(path, 'a peer needs podSelector, namespaceSelector or ipBlock');
  return out;
}

function portIn(p: Infer<typeof port>, path: string): NetPort {
  const out: NetPort = { protocol: p.protocol ?? 'TCP' };
  if (p.port !== undefined) out.port = p.port;
  if (p.endPort !== undefined) {
    if (typeof p.port !== 'number' || p.endPort < p.port) throw new PolicyParseError(`${path}.endPort`, 'needs a numeric port not above it');
    out.endPort = p.endPort;
  }
  return out;
}

export function fromNetworkPolicy(doc: NetworkPolicyDoc): NetPolicy {
  const s = doc.spec;
  const rules = (list: Array<{ peers?: Array<Infer<typeof peer>>; ports?: Array<Infer<typeof port>> }>, dir: string, peerField: string): NetRule[] =>
    list.map((r, i) => ({
      peers: (r.peers ?? []).map((p, j) => peerIn(p, `spec.${dir}[${i}].${peerField}[${j}]`)),
      ports: (r.ports ?? []).map((p, j) => portIn(p, `spec.${dir}[${i}].ports[${j}]`)),
      evidence: [],
    }));
  const p: NetPolicy = {
    type: 'netpol',
    name: doc.metadata.name,
    namespace: doc.metadata.namespace ?? 'default',
    podSelector: plainSelector(s.podSelector),
    policyTypes: s.policyTypes ?? (s.egress ? ['Ingress', 'Egress'] : ['Ingress']),
    ingress: rules((s.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })), 'ingress', 'from'),
    egress: rules((s.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports })), 'egress', 'to'),
  };
  const prov = provenanceFromAnnotations(doc.metadata.annotations);
  if (prov) p.provenance = prov;
  return p;
}
