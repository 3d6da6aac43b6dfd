/**
 * Known pods and namespaces, from a `kubectl get pods -A -o json` file the responder loads (a
 * `List` that may also hold `Namespace` items for their labels). Untrusted: bounded and
 * validated, errors name the field path.
 */
import { array, int, literal, object, optional, parse, record, str, type Infer, type Schema } from '../../../../shared/schema';
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

/** A Service: traffic to its cluster IP reaches the pods its selector picks, on targetPort. */
export interface ServiceInfo {
  name: string;
  namespace: string;
  ips: string[];
  selector: Record<string, string>;
  ports: Array<{ port: number; targetPort: number | string; protocol: Proto }>;
}

export interface Inventory {
  pods: PodInfo[];
  services: ServiceInfo[];
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
const servicePort = object(
  {
    port: int({ min: 1, max: 65535 }),
    protocol: optional(str({ max: 8 })),
    targetPort: optional({ kind: 'int-or-string', check: (v, path) => (typeof v === 'number' ? int({ min: 1, max: 65535 }).check(v, path) : str({ min: 1, max: 15 }).check(v, path)) } as Schema<number | string>),
  },
  { extra: 'keep' },
);
const serviceItem = object(
  {
    kind: literal('Service'),
    metadata: meta,
    spec: optional(
      object(
        {
          clusterIP: optional(str({ max: 45 })),
          clusterIPs: optional(array(str({ max: 45 }), { max: 8 })),
          selector: labels,
          ports: optional(array(servicePort, { max: 256 })),
        },
        { extra: 'keep' },
      ),
    ),
  },
  { extra: 'keep' },
);
const list = object({ items: array(item, { max: 200_000 }) }, { extra: 'keep' });
type Item = Infer<typeof item>;

export function emptyInventory(): Inventory {
  return { pods: [], services: [], namespaces: new Map() };
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
    if (it.kind === 'Service') {
      const sr = parse(serviceItem, it);
      if (!sr.ok) throw new PolicyParseError(`items[${i}].${sr.issue.path}`, sr.issue.message);
      inv.services.push(serviceOf(sr.value));
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

function serviceOf(it: Infer<typeof serviceItem>): ServiceInfo {
  const ips = new Set<string>();
  if (it.spec?.clusterIP && it.spec.clusterIP !== 'None') ips.add(it.spec.clusterIP);
  for (const ip of it.spec?.clusterIPs ?? []) if (ip !== 'None') ips.add(ip);
  const ports: ServiceInfo['ports'] = [];
  for (const p of it.spec?.ports ?? []) {
    const protocol = (p.protocol ?? 'TCP').toUpperCase();
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') continue;
    ports.push({ port: p.port, targetPort: p.targetPort ?? p.port, protocol });
  }
  return { name: it.metadata.name, namespace: it.metadata.namespace ?? 'default', ips: [...ips], selector: { ...(it.spec?.selector ?? {}) }, ports };
}

/** A Service with a selector owning a cluster IP (policies see its pods, never the IP). */
export function serviceByIp(inv: Inventory, ip: string): ServiceInfo | undefined {
  return inv.services.find((s) => Object.keys(s.selector).length > 0 && s.ips.includes(ip));
}

/** The port a Service forwards `port` to (a number, or a container port name). */
export function targetPortOf(s: ServiceInfo, port: number, proto: Proto): number | string {
  return s.ports.find((p) => p.port === port && p.protocol === proto)?.targetPort ?? port;
}

/** The pods behind a Service in the loaded list. */
export function backendsOf(inv: Inventory, s: ServiceInfo): PodInfo[] {
  return inv.pods.filter((p) => !p.hostNetwork && p.namespace === s.namespace && Object.entries(s.selector).every(([k, v]) => p.labels[k] === v));
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
