/** Renders a policy in one of its formats; the document is validated before it is returned. */
import type { Policy, PolicyFormat } from '../../../shared/policy';
import { complainMode } from './seccomp/draft';
import { toOci } from './seccomp/oci';
import { spoYaml, toSpo } from './seccomp/spo';
import { securityContextYaml, toSecurityContext } from './caps/k8s';
import { networkPolicyYaml, toNetworkPolicy } from './netpol/k8s';
import { ciliumYaml, toCilium } from './netpol/cilium';
import { validateDoc, type DocKind } from './formats/validate';

export interface RenderOptions {
  /** seccomp: SCMP_ACT_LOG default instead of denying. */
  complain?: boolean;
  notes?: string[];
}

export interface Rendered {
  format: PolicyFormat;
  docKind: DocKind;
  text: string;
  extension: 'json' | 'yaml';
}

export const FORMATS: Record<Policy['type'], PolicyFormat[]> = {
  seccomp: ['oci', 'spo'],
  caps: ['k8s'],
  netpol: ['k8s', 'cilium'],
};

export async function render(p: Policy, format: PolicyFormat = FORMATS[p.type][0]!, opts: RenderOptions = {}): Promise<Rendered> {
  if (!FORMATS[p.type].includes(format)) throw new Error(`${p.type} policies are written as ${FORMATS[p.type].join(' or ')}, not ${format}`);
  switch (p.type) {
    case 'seccomp': {
      const sp = opts.complain ? complainMode(p) : p;
      if (format === 'spo') {
        await validateDoc('spo', toSpo(sp));
        return { format, docKind: 'spo', text: spoYaml(sp), extension: 'yaml' };
      }
      const doc = toOci(sp);
      await validateDoc('oci-seccomp', doc);
      return { format, docKind: 'oci-seccomp', text: JSON.stringify(doc, null, 2) + '\n', extension: 'json' };
    }
    case 'caps':
      await validateDoc('security-context', toSecurityContext(p));
      return { format, docKind: 'security-context', text: securityContextYaml(p), extension: 'yaml' };
    case 'netpol':
      if (format === 'cilium') {
        await validateDoc('cilium', toCilium(p));
        return { format, docKind: 'cilium', text: ciliumYaml(p), extension: 'yaml' };
      }
      await validateDoc('networkpolicy', toNetworkPolicy(p));
      return { format, docKind: 'networkpolicy', text: networkPolicyYaml(p, opts.notes), extension: 'yaml' };
  }
}
