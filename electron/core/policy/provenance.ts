/** Provenance written as annotations on exported documents, and read back from them. */
import type { Provenance } from '../../../shared/policy';

const PREFIX = 'tracehound.dev/';
const FIELDS = ['node', 'pod', 'namespace', 'container', 'containerName', 'image', 'wallFrom', 'wallTo', 'from', 'to', 'collector'] as const;

export function provenanceAnnotations(p: Provenance | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!p) return out;
  for (const f of FIELDS) {
    const v = p[f];
    if (v !== undefined && v !== '') out[PREFIX + kebab(f)] = String(v);
  }
  if (p.captures.length) out[PREFIX + 'captures'] = p.captures.join(',');
  out[PREFIX + 'draft'] = 'generated from observed behaviour; review before applying';
  return out;
}

export function provenanceFromAnnotations(a: Record<string, string> | undefined): Provenance | undefined {
  if (!a || !Object.keys(a).some((k) => k.startsWith(PREFIX))) return undefined;
  const p: Provenance = { captures: a[PREFIX + 'captures'] ? a[PREFIX + 'captures']!.split(',') : [] };
  for (const f of FIELDS) {
    const v = a[PREFIX + kebab(f)];
    if (v === undefined) continue;
    if (f === 'from' || f === 'to') {
      const n = Number(v);
      if (Number.isSafeInteger(n)) p[f] = n;
    } else p[f] = v;
  }
  return p;
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** A name Kubernetes accepts (DNS-1123 subdomain), from free text such as a pod or container name. */
export function k8sName(...parts: Array<string | undefined>): string {
  const s = parts
    .filter((x): x is string => !!x)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, '');
  return s || 'workload';
}
