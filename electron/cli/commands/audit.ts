import type { CliCommand } from '../types';
import { parseFlags, UsageError } from '../args';
import type { AuditFinding } from '../../../shared/policy';
import { auditAll, loadPoliciesFile, PolicyParseError } from '../../core/policy';
import { describeWorkload } from '../../core/policy/source';
import { inventoryFrom, wallFlag, workloadsFrom } from './policy';

/** Exit status when the policy would have denied something (1 is kept for errors). */
export const WOULD_DENY = 3;

function line(f: AuditFinding): string {
  const ev = f.evidence.filter((e) => e.kind !== 'runtime-base');
  const who = ev.length
    ? ev
        .slice(0, 3)
        .map((e) => `${e.comm ?? e.kind}${e.pid !== undefined ? `[${e.pid}]` : ''} t=${e.ts}${e.seq !== undefined ? ` #${e.seq}` : ''}`)
        .join(', ')
    : 'no events';
  return `  DENY ${f.detail} — ${f.reason} — ${who}`;
}

export const command: CliCommand = {
  name: 'audit',
  summary: 'Replay captured behaviour against a policy file: what it would have denied, with process and time',
  usage:
    'tracehound audit <db|capture>... --policy file [--container <id|name|pod>] [--pods pods.json]... [--by netns] [--from T] [--to T] [--json]\n' +
    '  the file may hold several policies (YAML documents, or a List such as `kubectl get netpol -A -o yaml`):\n' +
    '  NetworkPolicies are evaluated together, as the cluster does\n' +
    `  exit status 0: nothing would be denied; ${WOULD_DENY}: something would`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      policy: { type: 'string' },
      container: { type: 'string' },
      pods: { type: 'string', multiple: true },
      by: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('name a database or capture file');
    if (!values.policy) throw new UsageError('--policy is required');
    const by = values.by ?? 'container';
    if (by !== 'container' && by !== 'netns') throw new UsageError('--by is container or netns');
    let policies;
    try {
      policies = loadPoliciesFile(values.policy);
    } catch (e) {
      if (e instanceof PolicyParseError) {
        process.stderr.write(`${values.policy}: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    const inv = inventoryFrom(values.pods);
    const workloads = await workloadsFrom(positionals, { query: values.container, by, wallFrom: wallFlag(values.from, 'from'), wallTo: wallFlag(values.to, 'to') });
    if (workloads.length === 0) {
      process.stderr.write('no workload to audit\n');
      return 1;
    }
    const results = workloads.map((o) => ({ workload: describeWorkload(o), key: o.key, findings: auditAll(policies, o, inv) }));
    if (values.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    else
      for (const r of results) {
        process.stdout.write(`${r.workload}: ${r.findings.length ? `${r.findings.length} would be denied` : 'nothing would be denied'}\n`);
        for (const f of r.findings) process.stdout.write(line(f) + '\n');
      }
    return results.some((r) => r.findings.length) ? WOULD_DENY : 0;
  },
};
