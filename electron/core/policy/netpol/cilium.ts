/**
 * The same draft as a CiliumNetworkPolicy (cilium.io/v2): endpointSelector for the pod, one rule
 * per peer with its ports; pods in other namespaces carry Cilium's namespace label.
 */
import type { LabelSelector, NetPeer, NetPolicy, NetRule } from '../../../../shared/policy';
import { describeEvidence, toYaml, type YamlComment } from '../formats/yaml';
import { provenanceAnnotations } from '../provenance';

const NS_LABEL = 'k8s:io.kubernetes.pod.namespace';

function endpoint(p: NetPeer, ownNs: string): Record<string, unknown> | undefined {
  if (p.ipBlock) return undefined;
  const labels: Record<string, string> = { ...(p.podSelector?.matchLabels ?? {}) };
  const nsName = p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
  if (p.namespaceSelector) {
    if (nsName) labels[NS_LABEL] = nsName;
  } else labels[NS_LABEL] = ownNs;
  const out: Record<string, unknown> = { matchLabels: labels };
  const exprs = [...(p.podSelector?.matchExpressions ?? [])];
  if (exprs.length) out.matchExpressions = exprs;
  return out;
}

function ruleOut(r: NetRule, dir: 'ingress' | 'egress', ns: string): Array<Record<string, unknown>> {
  const toPorts = r.ports.length
    ? [{ ports: r.ports.map((p) => ({ port: String(p.port ?? 0), ...(p.endPort ? { endPort: p.endPort } : {}), protocol: p.protocol })) }]
    : undefined;
  const eps = r.peers.map((p) => endpoint(p, ns)).filter((x): x is Record<string, unknown> => !!x);
  const cidrs = r.peers.filter((p) => p.ipBlock).map((p) => p.ipBlock!);
  const out: Array<Record<string, unknown>> = [];
  const withPorts = (o: Record<string, unknown>) => (toPorts ? { ...o, toPorts } : o);
  if (r.peers.length === 0) out.push(withPorts(dir === 'ingress' ? { fromEntities: ['all'] } : { toEntities: ['all'] }));
  if (eps.length) out.push(withPorts({ [dir === 'ingress' ? 'fromEndpoints' : 'toEndpoints']: eps }));
  if (cidrs.length)
    out.push(
      withPorts({
        [dir === 'ingress' ? 'fromCIDRSet' : 'toCIDRSet']: cidrs.map((c) => (c.except?.length ? { cidr: c.cidr, except: c.except } : { cidr: c.cidr })),
      }),
    );
  return out;
}

function selectorOut(s: LabelSelector): Record<string, unknown> {
  const out: Record<string, unknown> = { matchLabels: { ...(s.matchLabels ?? {}) } };
  if (s.matchExpressions?.length) out.matchExpressions = s.matchExpressions;
  return out;
}

export function toCilium(p: NetPolicy): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: p.name, namespace: p.namespace };
  const ann = provenanceAnnotations(p.provenance);
  if (Object.keys(ann).length) metadata.annotations = ann;
  const spec: Record<string, unknown> = { endpointSelector: selectorOut(p.podSelector) };
  // an empty list still isolates the direction, as policyTypes does for NetworkPolicy
  if (p.policyTypes.includes('Ingress')) spec.ingress = p.ingress.flatMap((r) => ruleOut(r, 'ingress', p.namespace));
  if (p.policyTypes.includes('Egress')) spec.egress = p.egress.flatMap((r) => ruleOut(r, 'egress', p.namespace));
  if (Array.isArray(spec.ingress) && spec.ingress.length === 0) spec.ingressDeny = [{ fromEntities: ['all'] }];
  if (Array.isArray(spec.egress) && spec.egress.length === 0) spec.egressDeny = [{ toEntities: ['all'] }];
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata, spec };
}

export function ciliumYaml(p: NetPolicy): string {
  const doc = toCilium(p);
  const comments: YamlComment[] = [];
  (['ingress', 'egress'] as const).forEach((dir) => {
    let i = 0;
    for (const r of p[dir]) {
      const n = ruleOut(r, dir, p.namespace).length;
      if (n) comments.push({ path: ['spec', dir, i], text: describeEvidence(r.evidence, 2) });
      i += n;
    }
  });
  return toYaml(doc, comments, 'Draft CiliumNetworkPolicy from observed traffic: review before applying.');
}
