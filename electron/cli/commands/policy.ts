import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand } from '../types';
import { parseFlags, UsageError } from '../args';
import type { Observed, Policy, PolicyFormat } from '../../../shared/policy';
import { draftFor, emptyInventory, FORMATS, loadPolicyFile, mergePolicies, parseInventory, render, type DraftKind, type Inventory } from '../../core/policy';
import { describeWorkload, observeSource, selectWorkloads } from '../../core/policy/source';
import { k8sName } from '../../core/policy/provenance';

const KINDS: DraftKind[] = ['seccomp', 'caps', 'netpol'];

/** `--from`/`--to`: an ISO date, or milliseconds since the epoch. */
export function wallFlag(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} expects an ISO date or milliseconds since the epoch, got ${JSON.stringify(v)}`);
  return ms;
}

export interface Selection {
  query?: string | undefined;
  by: 'container' | 'netns';
  wallFrom?: number | undefined;
  wallTo?: number | undefined;
}

/** Reads sources and picks the workloads a query names; shared by `policy` and `audit`. */
export async function workloadsFrom(sources: string[], sel: Selection): Promise<Observed[]> {
  const picked: Observed[] = [];
  const { query, by } = sel;
  for (const src of sources) {
    if (!existsSync(src)) throw new UsageError(`${src} does not exist`);
    const opts: Parameters<typeof observeSource>[1] = { by };
    if (query) opts.container = query;
    if (sel.wallFrom !== undefined) opts.wallFrom = sel.wallFrom;
    if (sel.wallTo !== undefined) opts.wallTo = sel.wallTo;
    const { observed, warnings } = await observeSource(src, opts);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    const match = query ? selectWorkloads(observed, query) : observed;
    picked.push(...match);
  }
  return picked;
}

/** One inventory from several `kubectl ... -o json` files (pods, services, namespaces). */
export function inventoryFrom(paths: string[] | undefined): Inventory {
  const inv = emptyInventory();
  for (const p of paths ?? []) {
    const one = parseInventory(readFileSync(p, 'utf8'));
    inv.pods.push(...one.pods);
    inv.services.push(...one.services);
    for (const [k, v] of one.namespaces) inv.namespaces.set(k, v);
  }
  return inv;
}

export const command: CliCommand = {
  name: 'policy',
  summary: 'Draft a seccomp profile, capabilities or NetworkPolicy from what a workload did (on stdout)',
  usage:
    'tracehound policy <db|capture>... --container <id|name|pod> --kind seccomp|caps|netpol [--format oci|spo|k8s|cilium]\n' +
    '                  [--complain] [--pods pods.json]... [--base policy-file] [--by netns] [--from T] [--to T]\n' +
    '                  [--out file | --out-dir dir]\n' +
    '  several sources, or a name matching several replicas: the drafts are merged\n' +
    '  --complain   seccomp: log instead of deny (SCMP_ACT_LOG), for a first rollout\n' +
    '  --pods       `kubectl get pods,svc -A -o json` (and `kubectl get ns -o json`) output: peers that are\n' +
    '               pods or Services become selectors\n' +
    '  --base       a policy to extend: its rules stay, what it blocks stays blocked\n' +
    '  --by netns   group by network namespace instead of container (hosts outside containers)\n' +
    '  --from/--to  only events in this wall-clock range (ISO date or ms since the epoch)\n' +
    '  --out-dir    one draft per matching workload (every workload without --container), new files only',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      container: { type: 'string' },
      kind: { type: 'string' },
      format: { type: 'string' },
      complain: { type: 'boolean' },
      pods: { type: 'string', multiple: true },
      base: { type: 'string' },
      by: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      'out-dir': { type: 'string' },
    });
    if (positionals.length === 0) throw new UsageError('name a database or capture file');
    const kind = values.kind as DraftKind;
    if (!KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
    const format = (values.format ?? FORMATS[kind][0]) as PolicyFormat;
    if (!FORMATS[kind].includes(format)) throw new UsageError(`--format for ${kind} is one of ${FORMATS[kind].join(', ')}`);
    const outDir = values['out-dir'];
    if (!values.container && !outDir) throw new UsageError('--container is required (or --out-dir for a draft per workload)');
    if (outDir && (values.out || values.base)) throw new UsageError('--out-dir writes one draft per workload: not with --out or --base');
    const by = values.by ?? 'container';
    if (by !== 'container' && by !== 'netns') throw new UsageError('--by is container or netns');
    if (values.out && existsSync(values.out)) throw new UsageError(`${values.out} exists; drafts never overwrite a file`);
    const inv = inventoryFrom(values.pods);

    const workloads = await workloadsFrom(positionals, { query: values.container, by, wallFrom: wallFlag(values.from, 'from'), wallTo: wallFlag(values.to, 'to') });
    if (workloads.length === 0) {
      process.stderr.write(`no workload matches ${JSON.stringify(values.container)} in ${positionals.join(', ')}\n`);
      return 1;
    }
    if (outDir) return writeEach(workloads, outDir, kind, format, inv, values.complain === true);
    const drafts = workloads.map((o) => draftFor(kind, o, inv));
    const notes = [...new Set(drafts.flatMap((d) => d.notes))];
    const policies = drafts.map((d) => d.policy);
    if (values.base) {
      const base = loadPolicyFile(values.base);
      if (base.type !== kind) throw new UsageError(`--base ${values.base} is a ${base.type} policy, not ${kind}`);
      policies.unshift(base);
    }
    let policy: Policy;
    try {
      policy = policies.length === 1 ? policies[0]! : mergePolicies(policies);
    } catch (e) {
      process.stderr.write(`cannot merge the matching workloads: ${(e as Error).message}\n`);
      return 1;
    }
    const out = await render(policy, format, { complain: values.complain === true, notes });
    for (const o of workloads) process.stderr.write(`from ${describeWorkload(o)}\n`);
    if (policies.length > 1) process.stderr.write(`merged ${drafts.length} drafts${values.base ? ` into ${values.base}` : ''}\n`);
    for (const n of notes) process.stderr.write(`note: ${n}\n`);
    if (values.out) writeFileSync(values.out, out.text, { flag: 'wx' });
    else process.stdout.write(out.text);
    return 0;
  },
};

/** Whether a workload shows anything a draft of this kind is made from. */
function hasData(o: Observed, kind: DraftKind): boolean {
  if (kind === 'seccomp') return o.syscalls.some((s) => s.phase === 'workload');
  if (kind === 'netpol') return o.flows.length > 0;
  return true;
}

async function writeEach(workloads: Observed[], dir: string, kind: DraftKind, format: PolicyFormat, inv: Inventory, complain: boolean): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const used = new Set<string>();
  let written = 0;
  for (const o of workloads) {
    if (!hasData(o, kind)) {
      process.stderr.write(`skipped ${describeWorkload(o)}: nothing recorded for a ${kind} draft\n`);
      continue;
    }
    const d = draftFor(kind, o, inv);
    const out = await render(d.policy, format, { complain, notes: d.notes });
    const p = o.provenance;
    const base = k8sName(p.pod, p.containerName ?? (p.pod ? undefined : o.key.slice(0, 12)), kind);
    let name = `${base}.${out.extension}`;
    for (let i = 2; used.has(name) || existsSync(join(dir, name)); i++) name = `${base}-${i}.${out.extension}`;
    used.add(name);
    writeFileSync(join(dir, name), out.text, { flag: 'wx' });
    process.stderr.write(`${join(dir, name)} from ${describeWorkload(o)}\n`);
    written++;
  }
  return written > 0 ? 0 : 1;
}
