import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leaveOut } from '../../electron/core/policy/leave-out';
import { semanticDiff } from '../../electron/core/policy/diff/semantic';
import type { NetPolicy } from '../../shared/policy';

const ev = [{ ts: 1, pid: 10, comm: 'wget' }];

test('leaving out one port of a peer keeps the rest, and the diff names exactly what went', () => {
  const base: NetPolicy = {
    type: 'netpol',
    name: 'web-network',
    namespace: 'shop',
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [],
    egress: [
      {
        peers: [{ podSelector: { matchLabels: { app: 'db' } } }, { ipBlock: { cidr: '10.0.0.9/32' } }],
        ports: [
          { protocol: 'TCP', port: 5432 },
          { protocol: 'TCP', port: 443 },
        ],
        evidence: ev,
      },
    ],
  } as unknown as NetPolicy;
  const all = semanticDiff({ ...base, egress: [] }, base).map((e) => e.subject);
  assert.equal(all.length, 4);
  const gone = all.find((s) => s.includes('10.0.0.9') && s.includes('443'))!;
  const { policy, left } = leaveOut(base, [gone, 'syscall not-a-netpol-rule']);
  assert.deepEqual(left, [gone]);
  const after = semanticDiff(base, policy);
  assert.deepEqual(after.map((e) => [e.change, e.subject]), [['narrowed', gone]]);
  // Nothing left out: the same policy.
  assert.deepEqual(semanticDiff(base, leaveOut(base, []).policy), []);
});
