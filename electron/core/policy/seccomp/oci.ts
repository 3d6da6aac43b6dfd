/** OCI / Docker seccomp JSON: written from a SeccompPolicy and read back into one. */
import type { Arch, SeccompPolicy } from '../../../../shared/policy';
import type { Infer } from '../../../../shared/schema';
import { archFromScmp, SCMP_ARCHES } from '../syscalls';
import type { OciSeccompLoad } from './schema';

export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures: string[];
  syscalls: Array<{ names: string[]; action: string; errnoRet?: number; args?: unknown[] }>;
}

export function toOci(p: SeccompPolicy): OciSeccomp {
  const doc: OciSeccomp = {
    defaultAction: p.defaultAction,
    architectures: p.architectures.flatMap((a) => SCMP_ARCHES[a]),
    syscalls: [],
  };
  if (p.defaultErrnoRet !== undefined && p.defaultAction === 'SCMP_ACT_ERRNO') doc.defaultErrnoRet = p.defaultErrnoRet;
  if (p.allow.length) doc.syscalls.push({ names: p.allow.map((r) => r.name).sort(), action: 'SCMP_ACT_ALLOW' });
  // Docker's conditional rules have no OCI form: leaving them out can only refuse more
  for (const o of p.other) {
    if (o.includes !== undefined || o.excludes !== undefined) continue;
    doc.syscalls.push({ ...o, names: [...o.names] });
  }
  return doc;
}

/** A validated OCI/Docker document as a policy. Conditional Docker rules are kept as "other". */
export function fromOci(doc: Infer<typeof OciSeccompLoad>): SeccompPolicy {
  const arches = new Set<Arch>();
  for (const a of doc.architectures ?? []) {
    const arch = archFromScmp(a);
    if (arch) arches.add(arch);
  }
  for (const m of doc.archMap ?? []) {
    const arch = archFromScmp(m.architecture);
    if (arch) arches.add(arch);
  }
  const p: SeccompPolicy = {
    type: 'seccomp',
    defaultAction: doc.defaultAction,
    architectures: [...arches].sort(),
    allow: [],
    other: [],
  };
  if (doc.defaultErrnoRet !== undefined) p.defaultErrnoRet = doc.defaultErrnoRet;
  const allowed = new Set<string>();
  for (const r of doc.syscalls ?? []) {
    const names = [...(r.names ?? []), ...(r.name ? [r.name] : [])];
    const conditional = (r.args && r.args.length > 0) || (r.includes && Object.keys(r.includes).length) || (r.excludes && Object.keys(r.excludes).length);
    if (r.action === 'SCMP_ACT_ALLOW' && !conditional) {
      for (const n of names) allowed.add(n);
      continue;
    }
    const o: SeccompPolicy['other'][number] = { names: [...names].sort(), action: r.action };
    if (r.errnoRet !== undefined) o.errnoRet = r.errnoRet;
    if (r.args && r.args.length) o.args = r.args;
    if (r.includes && Object.keys(r.includes).length) o.includes = r.includes;
    if (r.excludes && Object.keys(r.excludes).length) o.excludes = r.excludes;
    p.other.push(o);
  }
  p.allow = [...allowed].sort().map((name) => ({ name, evidence: [] }));
  return p;
}
