/**
 * A Kubernetes container `securityContext` (capabilities: drop ALL, add the drafted ones), written
 * as YAML with each added capability marked observed or inferred, and read back from a file (a
 * bare securityContext, a container, or a Pod / workload manifest's first container).
 */
import type { CapsPolicy } from '../../../../shared/policy';
import { array, object, optional, str } from '../../../../shared/schema';
import { describeEvidence, toYaml, PolicyParseError } from '../formats/yaml';
import { k8sCapName, normalizeCap } from './names';

export function toSecurityContext(p: CapsPolicy): { securityContext: Record<string, unknown> } {
  const capabilities: Record<string, unknown> = { drop: [...p.drop] };
  if (p.add.length) capabilities.add = p.add.map((r) => k8sCapName(r.cap));
  return { securityContext: { capabilities } };
}

export function securityContextYaml(p: CapsPolicy): string {
  const comments = p.add.map((r, i) => ({
    path: ['securityContext', 'capabilities', 'add', i],
    text: `${r.basis}${r.why ? `: ${r.why}` : ''} — ${describeEvidence(r.evidence, 1)}`,
  }));
  const header = ['Draft capabilities from observed behaviour: review before applying.'];
  for (const r of p.review) header.push(`not added, review: ${r.cap} (${r.basis}) ${r.why ?? ''}`.trimEnd());
  return toYaml(toSecurityContext(p), comments, header.join('\n'));
}

const capList = array(str({ min: 1, max: 64 }), { max: 64 });
export const CapabilitiesSchema = object({ add: optional(capList), drop: optional(capList) }, { extra: 'reject' });
export const SecurityContextLoad = object({ capabilities: optional(CapabilitiesSchema) }, { extra: 'keep' });

/** Turns validated capability lists into a policy; names are checked with their field path. */
export function fromCapabilities(c: { add?: string[]; drop?: string[] }, path: string): CapsPolicy {
  const norm = (list: string[] | undefined, field: string) =>
    (list ?? []).map((n, i) => {
      if (field === 'drop' && n.toUpperCase() === 'ALL') return 'ALL';
      const cap = normalizeCap(n);
      if (!cap) throw new PolicyParseError(`${path}.${field}[${i}]`, `unknown capability ${JSON.stringify(n)}`);
      return cap;
    });
  const drop = norm(c.drop, 'drop');
  const add = norm(c.add, 'add');
  return {
    type: 'caps',
    drop,
    add: add.map((cap) => ({ cap, basis: 'loaded', evidence: [] })),
    review: [],
  };
}

/** Capabilities a container ends up with: the runtime's defaults minus drops plus adds. */
export function effectiveCaps(p: CapsPolicy, runtimeDefaults: readonly string[]): Set<string> {
  const out = new Set(p.drop.includes('ALL') ? [] : runtimeDefaults.filter((c) => !p.drop.includes(c)));
  for (const r of p.add) out.add(r.cap);
  return out;
}

/** containerd's and CRI-O's default set, which `drop` subtracts from. */
export const RUNTIME_DEFAULT_CAPS = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
] as const;
