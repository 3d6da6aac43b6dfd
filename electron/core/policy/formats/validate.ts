/**
 * Every exported document is checked against its published schema before it is written:
 * Kubernetes OpenAPI (kubernetes-models) for NetworkPolicy and securityContext, Cilium's CRD
 * schema for CiliumNetworkPolicy, the OCI runtime-spec shape for seccomp and SPO's CRD fields.
 * The model packages are ES modules only, hence loaded with import() on first use.
 */
import { parse, type Schema } from '../../../../shared/schema';
import { OciSeccompStrict } from '../seccomp/schema';
import { SpoStrict } from '../seccomp/spo';

export type DocKind = 'oci-seccomp' | 'spo' | 'security-context' | 'networkpolicy' | 'cilium';

export class SchemaError extends Error {
  constructor(
    readonly docKind: DocKind,
    readonly path: string,
    message: string,
  ) {
    super(`${docKind} does not match its schema at ${path}: ${message}`);
  }
}

function viaSchema(kind: DocKind, s: Schema<unknown>, doc: unknown): void {
  const r = parse(s, doc);
  if (!r.ok) throw new SchemaError(kind, r.issue.path, r.issue.message);
}

async function viaModel(kind: DocKind, validate: () => Promise<void>): Promise<void> {
  try {
    await validate();
  } catch (e) {
    const msg = (e as Error).message;
    const m = /data(\/[^\s]*)/.exec(msg);
    throw new SchemaError(kind, m ? m[1]!.slice(1).replace(/\//g, '.') : '(root)', msg);
  }
}

export async function validateDoc(kind: DocKind, doc: unknown): Promise<void> {
  switch (kind) {
    case 'oci-seccomp':
      return viaSchema(kind, OciSeccompStrict as Schema<unknown>, doc);
    case 'spo':
      return viaSchema(kind, SpoStrict as Schema<unknown>, doc);
    case 'security-context':
      return viaModel(kind, async () => {
        const { SecurityContext } = await import('kubernetes-models/v1/SecurityContext');
        new SecurityContext((doc as { securityContext: object }).securityContext).validate();
      });
    case 'networkpolicy':
      return viaModel(kind, async () => {
        const { NetworkPolicy } = await import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy');
        new NetworkPolicy(doc as never).validate();
      });
    case 'cilium':
      return viaModel(kind, async () => {
        const { CiliumNetworkPolicy } = await import('@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy');
        new CiliumNetworkPolicy(doc as never).validate();
      });
  }
}
