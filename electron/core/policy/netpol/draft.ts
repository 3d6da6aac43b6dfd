/**
 * NetworkPolicy drafts per pod: ingress from accepted connections on the pod's ports, egress to
 * the peers it connected to. Peers that are known pods become pod/namespace selectors on their
 * identity labels, a Service's cluster IP its pods' selector and target port (policies see pod
 * addresses, never cluster IPs); anything else an ipBlock of the single address. Rules are consolidated — one
 * per peer group with its ports merged, peers with the same ports in one rule — and sorted, so
 * two drafts of the same behaviour are byte-identical.
 */
import type { LabelSelector, NetPeer, NetPolicy, NetPort, NetRule, Observed, ObservedFlow, Proto } from '../../../../shared/policy';
import { consolidate } from './consolidate';
import { k8sName } from '../provenance';
import { identityLabels, podByIp, serviceByIp, targetPortOf, type Inventory, type PodInfo } from './inventory';
import { hostCidr, isLoopback } from './ip';

export interface NetpolDraft {
  policy: NetPolicy;
  /** Things a reviewer must know: unknown own pod, peers outside the inventory. */
  notes: string[];
}

/** The pod a workload is: by its container's pod annotations, else by its addresses. */
export function ownPod(o: Observed, inv: Inventory): PodInfo | undefined {
  const { pod, namespace } = o.provenance;
  if (pod) {
    const p = inv.pods.find((x) => x.name === pod && x.namespace === (namespace ?? 'default'));
    if (p) return p;
  }
  for (const a of o.addresses) {
    const p = podByIp(inv, a);
    if (p) return p;
  }
  return undefined;
}

export function draftNetpol(o: Observed, inv: Inventory): NetpolDraft {
  const notes: string[] = [];
  const self = ownPod(o, inv);
  if (self?.hostNetwork) notes.push(`${self.namespace}/${self.name} uses the host's network: NetworkPolicy does not apply to it`);
  const namespace = self?.namespace ?? o.provenance.namespace ?? 'default';
  let podSelector: LabelSelector;
  if (self && Object.keys(identityLabels(self.labels)).length) podSelector = { matchLabels: identityLabels(self.labels) };
  else {
    const name = o.provenance.containerName ?? o.provenance.pod ?? o.key;
    podSelector = { matchLabels: { 'app.kubernetes.io/name': k8sName(name).slice(0, 63) } };
    notes.push(`the pod of ${name} is not in the loaded pod list: podSelector is a placeholder to edit`);
  }
  const own = new Set([...o.addresses, ...(self?.ips ?? [])]);
  const selectorPeer = (labels: Record<string, string>, ns: string): NetPeer => {
    const peer: NetPeer = { podSelector: { matchLabels: labels } };
    if (ns !== namespace) peer.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': ns } };
    return peer;
  };
  // policies act on pod addresses: a Service's cluster IP becomes its selector and target port
  const target = (ip: string, port: number, proto: Proto): { peer: NetPeer; port: NetPort } => {
    const p = podByIp(inv, ip);
    if (p) return { peer: selectorPeer(identityLabels(p.labels), p.namespace), port: { protocol: proto, port } };
    const svc = serviceByIp(inv, ip);
    if (svc) return { peer: selectorPeer({ ...svc.selector }, svc.namespace), port: { protocol: proto, port: targetPortOf(svc, port, proto) } };
    return { peer: { ipBlock: { cidr: hostCidr(ip) } }, port: { protocol: proto, port } };
  };
  const rules = (flows: ObservedFlow[], dir: 'ingress' | 'egress'): NetRule[] =>
    consolidate(
      flows
        .filter((f) => f.direction === dir && !isLoopback(f.peerAddr) && !own.has(f.peerAddr))
        .map((f) =>
          dir === 'egress'
            ? { ...target(f.peerAddr, f.peerPort, f.proto), evidence: f.evidence }
            : { peer: target(f.peerAddr, 0, f.proto).peer, port: { protocol: f.proto, port: f.localPort }, evidence: f.evidence },
        ),
    );
  const base = self?.owner ?? self?.name ?? o.provenance.pod ?? o.provenance.containerName ?? o.key;
  const policy: NetPolicy = {
    type: 'netpol',
    name: k8sName(base, 'network'),
    namespace,
    podSelector,
    policyTypes: ['Ingress', 'Egress'],
    ingress: rules(o.flows, 'ingress'),
    egress: rules(o.flows, 'egress'),
    provenance: o.provenance,
  };
  for (const r of [...policy.ingress, ...policy.egress])
    for (const p of r.peers) {
      if (!p.ipBlock) continue;
      const dns = r.ports.some((x) => x.port === 53);
      notes.push(
        `${p.ipBlock.cidr} is not a known pod or Service: kept as an ipBlock` +
          (dns ? ' (DNS: if it is a Service cluster IP, load `kubectl get pods,svc -A -o json` so it becomes the DNS pods\' selector)' : ''),
      );
    }
  return { policy, notes: [...new Set(notes)] };
}

export { canon } from './consolidate';
