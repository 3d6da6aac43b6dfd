/**
 * Audit: replays observed behaviour against a policy and lists what it would have denied, with
 * the processes and times behind each finding. This is how a responder checks a live policy
 * against what a workload really does.
 */
import type { AuditFinding, CapsPolicy, NetPolicy, Observed, Policy, SeccompPolicy } from '../../../shared/policy';
import { effectiveCaps, RUNTIME_DEFAULT_CAPS } from './caps/k8s';
import { draftCaps } from './caps/draft';
import { evaluate } from './netpol/evaluate';
import { backendsOf, emptyInventory, podByIp, serviceByIp, targetPortOf, type Inventory } from './netpol/inventory';
import { isLoopback } from './netpol/ip';
import { ownPod } from './netpol/draft';

export function audit(policy: Policy, observed: Observed, inv?: Inventory): AuditFinding[] {
  switch (policy.type) {
    case 'seccomp':
      return auditSeccomp(policy, observed);
    case 'caps':
      return auditCaps(policy, observed);
    case 'netpol':
      return auditNetpol([policy], observed, inv);
  }
}

/**
 * Several policies at once, as a cluster applies them: NetworkPolicies together (a connection
 * needs one of them to allow it), each seccomp profile or capability set on its own.
 */
export function auditAll(policies: Policy[], observed: Observed, inv?: Inventory): AuditFinding[] {
  const netpols = policies.filter((p): p is NetPolicy => p.type === 'netpol');
  const out = policies.filter((p) => p.type !== 'netpol').flatMap((p) => audit(p, observed, inv));
  if (netpols.length) out.push(...auditNetpol(netpols, observed, inv));
  return out;
}

const DENYING = new Set(['SCMP_ACT_ERRNO', 'SCMP_ACT_KILL', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_TRAP']);

function auditSeccomp(p: SeccompPolicy, o: Observed): AuditFinding[] {
  const allowed = new Set(p.allow.map((r) => r.name));
  const denied = new Map<string, string>();
  const conditional = (r: SeccompPolicy['other'][number]) => !!r.args?.length || r.includes !== undefined || r.excludes !== undefined;
  for (const r of p.other) for (const n of r.names) if (DENYING.has(r.action) && !conditional(r)) denied.set(n, r.action);
  // allowed only under argument values or Docker conditions: counted as allowed, the conditions
  // are the reviewer's to check against the evidence
  for (const r of p.other) for (const n of r.names) if (!DENYING.has(r.action)) allowed.add(n);
  const out: AuditFinding[] = [];
  if (p.architectures.length && !p.architectures.includes(o.arch))
    out.push({ what: 'syscall', detail: `architecture ${o.arch}`, reason: 'not in the profile: every syscall is refused', evidence: [] });
  for (const s of o.syscalls) {
    if (s.phase !== 'workload') continue;
    const explicit = denied.get(s.name);
    if (explicit) out.push({ what: 'syscall', detail: `syscall ${s.name}`, reason: `rule ${explicit}`, evidence: s.evidence });
    else if (!allowed.has(s.name) && DENYING.has(p.defaultAction))
      out.push({ what: 'syscall', detail: `syscall ${s.name}`, reason: `not allowed; default ${p.defaultAction}`, evidence: s.evidence });
  }
  return out;
}

function auditCaps(p: CapsPolicy, o: Observed): AuditFinding[] {
  const have = effectiveCaps(p, RUNTIME_DEFAULT_CAPS);
  const needed = draftCaps(o).add;
  return needed
    .filter((r) => !have.has(r.cap))
    .map((r) => ({ what: 'capability' as const, detail: r.cap, reason: `not granted (${r.basis}${r.why ? `: ${r.why}` : ''})`, evidence: r.evidence }));
}

/** Connections of one workload under a set of policies (all policies of the cluster apply together). */
export function auditNetpol(policies: NetPolicy[], o: Observed, inv: Inventory = emptyInventory()): AuditFinding[] {
  const self = ownPod(o, inv);
  const out: AuditFinding[] = [];
  for (const f of o.flows) {
    if (isLoopback(f.peerAddr)) continue;
    const selfIp = self?.ips.find((ip) => ip.includes(':') === f.peerAddr.includes(':')) ?? f.localAddr;
    const conn =
      f.direction === 'egress'
        ? { srcIp: selfIp, dstIp: f.peerAddr, port: f.peerPort, proto: f.proto }
        : { srcIp: f.peerAddr, dstIp: selfIp, port: f.localPort, proto: f.proto };
    // a connection to a Service lands on one of its pods: denied if any of them would refuse it
    const svc = f.direction === 'egress' ? serviceByIp(inv, f.peerAddr) : undefined;
    const backends = svc ? backendsOf(inv, svc) : [];
    const conns = backends.length
      ? backends.flatMap((b) => {
          const tp = targetPortOf(svc!, f.peerPort, f.proto);
          const port = typeof tp === 'number' ? tp : b.ports.find((p) => p.name === tp && p.protocol === f.proto)?.port;
          return port === undefined ? [] : b.ips.map((ip) => ({ ...conn, dstIp: ip, port }));
        })
      : [conn];
    const v = conns.map((c) => evaluate(policies, inv, c)).find((x) => !x.allowed);
    if (!v) continue;
    const side = !v.egress.allowed ? 'egress of the source' : 'ingress of the destination';
    const peer = podByIp(inv, f.peerAddr);
    const peerName = peer ? `${peer.namespace}/${peer.name} (${f.peerAddr})` : svc ? `service ${svc.namespace}/${svc.name} (${f.peerAddr})` : f.peerAddr;
    out.push({
      what: 'connection',
      detail: f.direction === 'egress' ? `egress to ${peerName}:${f.peerPort}/${f.proto}` : `ingress from ${peerName} on port ${f.localPort}/${f.proto}`,
      reason: `no rule allows it (${side} is isolated)`,
      evidence: f.evidence,
    });
  }
  return out;
}
