/**
 * Reading policy files the responder loads. Untrusted: size-bounded, parsed as JSON or YAML,
 * recognised by shape, validated field by field; every error names the field path.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Policy } from '../../../shared/policy';
import { parse, type Schema } from '../../../shared/schema';
import { parseText, parseTexts, PolicyParseError } from './formats/yaml';
import { OciSeccompLoad } from './seccomp/schema';
import { fromOci } from './seccomp/oci';
import { fromSpo, SpoLoad } from './seccomp/spo';
import { CapabilitiesSchema, fromCapabilities, SecurityContextLoad } from './caps/k8s';
import { fromNetworkPolicy, NetworkPolicyLoad } from './netpol/k8s';

export const MAX_POLICY_BYTES = 4 * 1024 * 1024;

function check<T>(s: Schema<T>, v: unknown, prefix = ''): T {
  const r = parse(s, v);
  if (!r.ok) {
    const p = r.issue.path === '(root)' ? prefix || '(root)' : prefix ? `${prefix}.${r.issue.path}` : r.issue.path;
    throw new PolicyParseError(p, r.issue.message);
  }
  return r.value;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A parsed document (JSON or YAML value) as a policy. */
export function policyFromDoc(doc: unknown): Policy {
  if (!isObj(doc)) throw new PolicyParseError('(root)', 'expected an object');
  if (doc.kind === 'NetworkPolicy') return fromNetworkPolicy(check(NetworkPolicyLoad, doc));
  if (doc.kind === 'SeccompProfile') return fromSpo(check(SpoLoad, doc));
  if (doc.kind === 'CiliumNetworkPolicy') throw new PolicyParseError('kind', 'CiliumNetworkPolicy files can be exported but not loaded; load the NetworkPolicy');
  if ('defaultAction' in doc) return fromOci(check(OciSeccompLoad, doc));
  if (isObj(doc.linux) && isObj(doc.linux.seccomp)) return fromOci(check(OciSeccompLoad, doc.linux.seccomp, 'linux.seccomp'));
  if ('securityContext' in doc) {
    const sc = check(SecurityContextLoad, doc.securityContext, 'securityContext');
    return fromCapabilities(sc.capabilities ?? {}, 'securityContext.capabilities');
  }
  if ('capabilities' in doc && !('kind' in doc)) {
    const sc = check(SecurityContextLoad, doc);
    return fromCapabilities(sc.capabilities ?? {}, 'capabilities');
  }
  if ('add' in doc || 'drop' in doc) return fromCapabilities(check(CapabilitiesSchema, doc), '(root)');
  const containers = podContainers(doc);
  if (containers) {
    const i = containers.list.findIndex((c) => isObj(c) && isObj(c.securityContext));
    if (i < 0) throw new PolicyParseError(containers.path, 'no container has a securityContext');
    const path = `${containers.path}[${i}].securityContext`;
    const sc = check(SecurityContextLoad, (containers.list[i] as Record<string, unknown>).securityContext, path);
    return fromCapabilities(sc.capabilities ?? {}, `${path}.capabilities`);
  }
  throw new PolicyParseError('(root)', 'not a policy this console reads: expected OCI/Docker seccomp JSON, SeccompProfile, NetworkPolicy, securityContext or a Pod manifest');
}

function podContainers(doc: Record<string, unknown>): { list: unknown[]; path: string } | undefined {
  const spec = doc.spec;
  if (!isObj(spec)) return undefined;
  if (Array.isArray(spec.containers)) return { list: spec.containers, path: 'spec.containers' };
  const tpl = spec.template;
  if (isObj(tpl) && isObj(tpl.spec) && Array.isArray(tpl.spec.containers)) return { list: tpl.spec.containers, path: 'spec.template.spec.containers' };
  return undefined;
}

export function policyFromText(text: string): Policy {
  return policyFromDoc(parseText(text, MAX_POLICY_BYTES));
}

export function loadPolicyFile(path: string): Policy {
  const st = statSync(path);
  if (!st.isFile()) throw new PolicyParseError('(file)', `${path} is not a regular file`);
  if (st.size > MAX_POLICY_BYTES) throw new PolicyParseError('(file)', `${path} is larger than ${MAX_POLICY_BYTES} bytes`);
  return policyFromText(readFileSync(path, 'utf8'));
}

/**
 * Every policy in a file: several YAML documents, or a `List` (`kubectl get netpol -A -o yaml`).
 * Errors name the document or item they are in.
 */
export function policiesFromText(text: string): Policy[] {
  const out: Policy[] = [];
  const docs = parseTexts(text, MAX_POLICY_BYTES).filter((d) => d !== null && d !== undefined);
  docs.forEach((doc, i) => {
    const where = docs.length > 1 ? `document ${i + 1}` : '';
    const at = (path: string) => (where ? `${where}: ${path}` : path);
    if (isObj(doc) && typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) {
      doc.items.forEach((item, j) => {
        try {
          out.push(policyFromDoc(item));
        } catch (e) {
          if (e instanceof PolicyParseError) throw new PolicyParseError(at(`items[${j}].${e.path}`), e.message.slice(e.path.length + 2));
          throw e;
        }
      });
      return;
    }
    try {
      out.push(policyFromDoc(doc));
    } catch (e) {
      if (e instanceof PolicyParseError && where) throw new PolicyParseError(at(e.path), e.message.slice(e.path.length + 2));
      throw e;
    }
  });
  if (out.length === 0) throw new PolicyParseError('(file)', 'no policy in the file');
  return out;
}

export function loadPoliciesFile(path: string): Policy[] {
  const st = statSync(path);
  if (!st.isFile()) throw new PolicyParseError('(file)', `${path} is not a regular file`);
  if (st.size > MAX_POLICY_BYTES) throw new PolicyParseError('(file)', `${path} is larger than ${MAX_POLICY_BYTES} bytes`);
  return policiesFromText(readFileSync(path, 'utf8'));
}
