/**
 * NetworkPolicy semantics (networking.k8s.io/v1), for audit and for checking drafts:
 * - a pod is isolated for a direction when a policy in its namespace selects it and lists that
 *   direction in policyTypes; an isolated pod accepts only what some selecting policy's rules allow;
 * - rules: peers OR'd (none = every peer), ports OR'd (none = every port);
 * - peer: podSelector alone = pods of the policy's namespace; namespaceSelector alone = every pod
 *   of the matching namespaces; both = matching pods in matching namespaces; ipBlock = addresses
 *   in the CIDR but not in `except` (applied to any address: for pod addresses the behaviour is
 *   left to the network plugin, most match them);
 * - a connection needs the source's egress and the destination's ingress; loopback inside a pod
 *   is never filtered and a pod cannot block access to itself. Replies of allowed connections are allowed (policies are stateful).
 */
import type { NetPeer, NetPolicy, NetPort, NetRule, Proto } from '../../../../shared/policy';
import { namespaceLabels, podByIp, type Inventory, type PodInfo } from './inventory';
import { cidrContains, parseCidr, parseIp } from './ip';
import { selectorMatches } from './selectors';

export interface Connection {
  srcIp: string;
  dstIp: string;
  port: number;
  proto: Proto;
}

export interface SideVerdict {
  allowed: boolean;
  /** Not isolated: no policy selects the pod for this direction (or the endpoint is not a pod). */
  isolated: boolean;
  /** `policy-name rule N` that allowed it. */
  by?: string;
}

export interface Verdict {
  allowed: boolean;
  egress: SideVerdict;
  ingress: SideVerdict;
}

export function policyTypesOf(p: NetPolicy): Array<'Ingress' | 'Egress'> {
  if (p.policyTypes.length) return p.policyTypes;
  return p.egress.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

export function evaluate(policies: readonly NetPolicy[], inv: Inventory, c: Connection): Verdict {
  const src = podByIp(inv, c.srcIp);
  const dst = podByIp(inv, c.dstIp);
  if (src && src === dst) {
    const self: SideVerdict = { allowed: true, isolated: false };
    return { allowed: true, egress: self, ingress: self };
  }
  const egress = side(policies, inv, src, 'Egress', c.dstIp, dst, c);
  const ingress = side(policies, inv, dst, 'Ingress', c.srcIp, src, c);
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

function side(
  policies: readonly NetPolicy[],
  inv: Inventory,
  self: PodInfo | undefined,
  dir: 'Ingress' | 'Egress',
  peerIp: string,
  peer: PodInfo | undefined,
  c: Connection,
): SideVerdict {
  if (!self) return { allowed: true, isolated: false };
  const selecting = policies.filter(
    (p) => p.namespace === self.namespace && policyTypesOf(p).includes(dir) && selectorMatches(p.podSelector, self.labels),
  );
  if (selecting.length === 0) return { allowed: true, isolated: false };
  // the destination pod's named ports resolve port names in either direction
  const dstPod = dir === 'Ingress' ? self : peer;
  for (const p of selecting) {
    const rules = dir === 'Ingress' ? p.ingress : p.egress;
    for (let i = 0; i < rules.length; i++) {
      if (ruleMatches(rules[i]!, p.namespace, inv, peerIp, peer, c, dstPod))
        return { allowed: true, isolated: true, by: `${p.namespace}/${p.name} ${dir.toLowerCase()} rule ${i}` };
    }
  }
  return { allowed: false, isolated: true };
}

function ruleMatches(r: NetRule, policyNs: string, inv: Inventory, peerIp: string, peer: PodInfo | undefined, c: Connection, dstPod: PodInfo | undefined): boolean {
  const peerOk = r.peers.length === 0 || r.peers.some((x) => peerMatches(x, policyNs, inv, peerIp, peer));
  const portOk = r.ports.length === 0 || r.ports.some((x) => portMatches(x, c, dstPod));
  return peerOk && portOk;
}

export function peerMatches(x: NetPeer, policyNs: string, inv: Inventory, ip: string, pod: PodInfo | undefined): boolean {
  if (x.ipBlock) {
    const addr = parseIp(ip);
    const cidr = parseCidr(x.ipBlock.cidr);
    if (!addr || !cidr || !cidrContains(cidr, addr)) return false;
    for (const e of x.ipBlock.except ?? []) {
      const ex = parseCidr(e);
      if (ex && cidrContains(ex, addr)) return false;
    }
    return true;
  }
  if (!x.podSelector && !x.namespaceSelector) return false;
  if (!pod) return false;
  const nsOk = x.namespaceSelector ? selectorMatches(x.namespaceSelector, namespaceLabels(inv, pod.namespace)) : pod.namespace === policyNs;
  const podOk = x.podSelector ? selectorMatches(x.podSelector, pod.labels) : true;
  return nsOk && podOk;
}

function portMatches(x: NetPort, c: Connection, dstPod: PodInfo | undefined): boolean {
  if ((x.protocol ?? 'TCP') !== c.proto) return false;
  if (x.port === undefined) return true;
  if (typeof x.port === 'number') return x.endPort !== undefined ? c.port >= x.port && c.port <= x.endPort : c.port === x.port;
  const named = dstPod?.ports.find((p) => p.name === x.port && p.protocol === c.proto);
  return named !== undefined && named.port === c.port;
}
