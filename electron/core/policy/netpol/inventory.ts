/**
 * Known pods and namespaces, from a `kubectl get pods -A -o json` file the responder loads (a
 * `List` that may also hold `Namespace` items for their labels). Untrusted: bounded and
 * validated, errors name the field path.
 */
import { array, int, object, optional, record, str, type Infer } from '../../../../shared/schema';
import { PolicyParseError, parseText } from '../formats/yaml';
import type { Proto } from '../../../../shared/policy';

export interface PodInfo {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ips: string[];
  hostNetwork: boolean;
  /** Named container ports, for named ports in policies. */
  ports: Array<{ name?: string; port: number; protocol: Proto }>;
  owner?: string;
}

export interface Inventory {
  pods: PodInfo[];
  namespaces: Map<string, Record<string, string>>;
}

export const MAX_INVENTORY_BYTES = 64 * 1024 * 1024;

const labels = optional(record(str({ max: 63 }), { maxKeys: 256, maxKey: 317 }));
const meta = object(
  {
    name: str({ min: 1, max: 253 }),
    namespace: optional(str({ max: 63 })),
    labels,
    ownerReferences: optional(array(object({ kind: str({ max: 63 }), name: str({ max: 253 }) }, { extra: 'keep' }), { max: 16 })),
  },
  { extra: 'keep' },
);
const containerPort = object(
  { name: optional(str({ max: 15 })), containerPort: int({ min: 1, max: 65535 }), protocol: optional(str({ max: 8 })) },
  { extra: 'keep' },
);
const item = object(
  {
    kind: optional(str({ max: 63 })),
    metadata: meta,
    spec: optional(
      object(
        {
          containers: optional(array(object({ ports: optional(array(containerPort, { max: 256 })) }, { extra: 'keep' }), { max: 256 })),
        },
        { extra: 'keep' },
      ),
    ),
    status: optional(
      object({ podIP: optional(str({ max: 45 })), podIPs: optional(array(object({ ip: str({ max: 45 }) }, { extra: 'keep' }), { max: 8 })) }, { extra: 'keep' }),
    ),
  },
  { extra: 'keep' },
);
const list = object({ items: array(item, { max: 200_000 }) }, { extra: 'keep' });
type Item = Infer<typeof item>;

export function emptyInventory(): Inventory {
  return { pods: [], namespaces: new Map() };
}

export function parseInventory(text: string): Inventory {
  const raw = parseText(text, MAX_INVENTORY_BYTES);
  const r = list.check(raw, '');
  if (!r.ok) throw new PolicyParseError(r.issue.path, r.issue.message);
  const inv = emptyInventory();
  r.value.items.forEach((it, i) => {
    if (it.kind === 'Namespace') {
      inv.namespaces.set(it.metadata.name, { 'kubernetes.io/metadata.name': it.metadata.name, ...(it.metadata.labels ?? {}) });
      return;
    }
    if (it.kind !== undefined && it.kind !== 'Pod') return;
    inv.pods.push(podOf(it, `items[${i}]`));
  });
  return inv;
}

function podOf(it: Item, path: string): PodInfo {
  const rawSpec = (it as { spec?: { hostNetwork?: unknown } }).spec;
  if (rawSpec?.hostNetwork !== undefined && typeof rawSpec.hostNetwork !== 'boolean')
    throw new PolicyParseError(`${path}.spec.hostNetwork`, 'expected boolean');
  const ips = new Set<string>();
  if (it.status?.podIP) ips.add(it.status.podIP);
  for (const p of it.status?.podIPs ?? []) ips.add(p.ip);
  const ports: PodInfo['ports'] = [];
  for (const c of it.spec?.containers ?? [])
    for (const p of c.ports ?? []) {
      const protocol = (p.protocol ?? 'TCP').toUpperCase();
      if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') continue;
      const e: PodInfo['ports'][number] = { port: p.containerPort, protocol };
      if (p.name) e.name = p.name;
      ports.push(e);
    }
  const owner = it.metadata.ownerReferences?.[0];
  const pod: PodInfo = {
    name: it.metadata.name,
    namespace: it.metadata.namespace ?? 'default',
    labels: { ...(it.metadata.labels ?? {}) },
    ips: [...ips],
    hostNetwork: rawSpec?.hostNetwork === true,
    ports,
  };
  if (owner) pod.owner = owner.kind === 'ReplicaSet' ? owner.name.replace(/-[a-z0-9]{5,10}$/, '') : owner.name;
  return pod;
}

/** Labels of a namespace: loaded ones, or the one Kubernetes sets on every namespace. */
export function namespaceLabels(inv: Inventory, ns: string): Record<string, string> {
  return inv.namespaces.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
}

/** The pod owning an address; host-network pods share the node's address and never count. */
export function podByIp(inv: Inventory, ip: string): PodInfo | undefined {
  return inv.pods.find((p) => !p.hostNetwork && p.ips.includes(ip));
}

/** Labels that name one instance rather than the workload: left out of selectors. */
const INSTANCE_LABELS = [/^pod-template-hash$/, /^controller-revision-hash$/, /^pod-template-generation$/, /^statefulset\.kubernetes\.io\/pod-name$/, /^topology\.kubernetes\.io\//, /^apps\.kubernetes\.io\/pod-index$/];

export function identityLabels(l: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) if (!INSTANCE_LABELS.some((re) => re.test(k))) out[k] = l[k]!;
  return out;
}
