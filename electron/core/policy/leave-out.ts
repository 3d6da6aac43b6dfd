/**
 * Rules the reviewer ignored are left out of what is exported. Rules are named exactly as the
 * semantic diff names them ("syscall chmod", "capability CAP_NET_RAW",
 * "egress <peer> port <port>"), so a decision taken on a diff row applies to the document.
 */
import type { NetRule, Policy } from '../../../shared/policy';
import { canon } from './netpol/consolidate';

export function leaveOut(policy: Policy, subjects: readonly string[]): { policy: Policy; left: string[] } {
  const want = new Set(subjects);
  const left: string[] = [];
  const drop = (s: string) => {
    if (!want.has(s)) return false;
    left.push(s);
    return true;
  };
  switch (policy.type) {
    case 'seccomp':
      return { policy: { ...policy, allow: policy.allow.filter((r) => !drop(`syscall ${r.name}`)) }, left };
    case 'caps':
      return { policy: { ...policy, add: policy.add.filter((r) => !drop(`capability ${r.cap}`)) }, left };
    case 'netpol': {
      const rules = (dir: 'ingress' | 'egress', list: NetRule[]): NetRule[] => {
        const out: NetRule[] = [];
        for (const r of list) {
          const peers = r.peers.length ? r.peers : [null];
          const ports = r.ports.length ? r.ports : [null];
          // Per peer, the ports that stay; peers keeping the same ports share one rule again.
          const groups = new Map<string, NetRule>();
          for (const p of peers) {
            const pk = p === null ? 'any peer' : canon(p);
            const kept = ports.filter((q) => !drop(`${dir} ${pk} port ${q === null ? 'any port' : canon(q)}`));
            if (kept.length === 0) continue;
            const key = kept.map((q) => (q === null ? '*' : canon(q))).join('|');
            const g = groups.get(key) ?? { peers: [], ports: kept.filter((q) => q !== null), evidence: r.evidence };
            if (p !== null) g.peers.push(p);
            groups.set(key, g);
          }
          out.push(...groups.values());
        }
        return out;
      };
      return { policy: { ...policy, ingress: rules('ingress', policy.ingress), egress: rules('egress', policy.egress) }, left };
    }
  }
}
