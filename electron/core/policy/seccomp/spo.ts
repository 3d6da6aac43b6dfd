/** The Security Profiles Operator's SeccompProfile resource, written as YAML and read back. */
import type { SeccompPolicy } from '../../../../shared/policy';
import { bool, literal, object, oneOf, optional, record, str, type Infer } from '../../../../shared/schema';
import { k8sName, provenanceAnnotations, provenanceFromAnnotations } from '../provenance';
import { describeEvidence, toYaml, type YamlComment } from '../formats/yaml';
import { ociSeccompSchema, SCMP_ACTIONS } from './schema';
import { fromOci, toOci } from './oci';

export const SPO_API_VERSIONS = ['security-profiles-operator.x-k8s.io/v1beta1', 'security-profiles-operator.x-k8s.io/v1alpha1'] as const;

const metadata = object(
  {
    name: str({ min: 1, max: 253 }),
    namespace: optional(str({ max: 63 })),
    annotations: optional(record(str({ max: 65536 }), { maxKeys: 256, maxKey: 317 })),
    labels: optional(record(str({ max: 63 }), { maxKeys: 256, maxKey: 317 })),
  },
  { extra: 'keep' },
);

function spoSchema(extra: 'keep' | 'reject') {
  const oci = ociSeccompSchema(extra);
  return object(
    {
      apiVersion: oneOf(SPO_API_VERSIONS),
      kind: literal('SeccompProfile'),
      metadata: extra === 'reject' ? object({ name: str({ min: 1, max: 253 }), namespace: optional(str({ max: 63 })), annotations: optional(record(str({ max: 65536 }))) }) : metadata,
      spec: object(
        {
          ...oci.shape,
          defaultAction: oneOf(SCMP_ACTIONS),
          baseProfileName: optional(str({ max: 253 })),
          disabled: optional(bool()),
        },
        { extra },
      ),
    },
    { extra },
  );
}

export const SpoStrict = spoSchema('reject');
export const SpoLoad = spoSchema('keep');
export type SpoDoc = Infer<typeof SpoLoad>;

export function toSpo(p: SeccompPolicy, name?: string): Record<string, unknown> {
  const prov = p.provenance;
  const metadata: Record<string, unknown> = { name: name ?? k8sName(prov?.pod ?? prov?.containerName ?? prov?.container?.slice(0, 12), 'seccomp') };
  if (prov?.namespace) metadata.namespace = prov.namespace;
  const ann = provenanceAnnotations(prov);
  if (Object.keys(ann).length) metadata.annotations = ann;
  return { apiVersion: SPO_API_VERSIONS[0], kind: 'SeccompProfile', metadata, spec: toOci(p) };
}

export function spoYaml(p: SeccompPolicy, name?: string): string {
  const doc = toSpo(p, name);
  const names = p.allow.map((r) => r.name).sort();
  const byName = new Map(p.allow.map((r) => [r.name, r]));
  const comments: YamlComment[] = names.map((n, i) => ({
    path: ['spec', 'syscalls', 0, 'names', i],
    text: (byName.get(n)!.risk ? `HIGH RISK (${byName.get(n)!.risk}) — ` : '') + describeEvidence(byName.get(n)!.evidence, 1),
  }));
  return toYaml(doc, comments, 'Draft seccomp profile from observed behaviour: review before applying.');
}

export function fromSpo(doc: SpoDoc): SeccompPolicy {
  const p = fromOci(doc.spec);
  const prov = provenanceFromAnnotations(doc.metadata.annotations);
  if (prov) p.provenance = prov;
  return p;
}
