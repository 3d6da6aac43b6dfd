// Policy files from the responder are untrusted: bounded, validated, and every error names the
// field path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { MAX_POLICY_BYTES, parseInventory, policiesFromText, policyFromText, PolicyParseError, render, semanticDiff } from '../../electron/core/policy';
import type { CapsPolicy, NetPolicy, SeccompPolicy } from '../../shared/policy';

function fails(text: string, path: string, message: RegExp) {
  assert.throws(
    () => policyFromText(text),
    (e: unknown) => {
      assert.ok(e instanceof PolicyParseError, `a PolicyParseError, got ${e}`);
      assert.equal(e.path, path, e.message);
      assert.match(e.message, message);
      return true;
    },
  );
}

const NP = (spec: object) => JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'shop' }, spec });

test('seccomp files: field paths for bad actions, names, arguments', () => {
  fails('{"defaultAction":"SCMP_ACT_NOPE"}', 'defaultAction', /expected one of/);
  fails('{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"},{"names":["rm -rf"],"action":"SCMP_ACT_ALLOW"}]}', 'syscalls[1].names[0]', /does not match/);
  fails('{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":9,"value":1,"op":"SCMP_CMP_EQ"}]}]}', 'syscalls[0].args[0].index', /out of range/);
  fails('{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_Z80"]}', 'architectures[0]', /expected one of/);
  fails('{"linux":{"seccomp":{"defaultAction":3}}}', 'linux.seccomp.defaultAction', /expected one of/);
  fails('apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\nmetadata: {name: p}\nspec:\n  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n    - action: SCMP_ACT_ALLOW\n      names: read\n', 'spec.syscalls[0].names', /expected array/);
});

test('a Docker profile with conditional rules loads; its plain allows are the allow list', () => {
  const p = policyFromText(
    JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86'] }],
      syscalls: [
        { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
        { names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }] },
        { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_PTRACE'] } },
      ],
    }),
  ) as SeccompPolicy;
  assert.deepEqual(p.allow.map((r) => r.name), ['read', 'write']);
  assert.deepEqual(p.architectures, ['x86_64']);
  assert.equal(p.other.length, 2);
});

test('NetworkPolicy files: selectors, ports and CIDRs checked with their paths', () => {
  fails(NP({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] }), 'spec.ingress[0].from[0].ipBlock.cidr', /not a CIDR/);
  fails(NP({ podSelector: {}, egress: [{ ports: [{ port: 70000 }] }] }), 'spec.egress[0].ports[0].port', /out of range/);
  fails(NP({ podSelector: {}, egress: [{ ports: [{ port: 'Not_A_Name' }] }] }), 'spec.egress[0].ports[0].port', /does not match/);
  fails(NP({ podSelector: {}, egress: [{ ports: [{ port: 80, endPort: 70 }] }] }), 'spec.egress[0].ports[0].endPort', /not above/);
  fails(NP({ podSelector: {}, ingress: [{ from: [{}] }] }), 'spec.ingress[0].from[0]', /needs podSelector/);
  fails(NP({ podSelector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } }), 'spec.podSelector.matchExpressions[0].operator', /expected one of/);
  fails(NP({ podSelector: {}, policyTypes: ['Sideways'] }), 'spec.policyTypes[0]', /expected one of/);
  fails(NP({ podSelector: {}, ingress: [{ from: [{ podSelector: {} }], sideways: 1 }] }), 'spec.ingress[0].sideways', /unknown field/);
});

test('hostile labels stay data', async () => {
  const text = NP({ podSelector: { matchLabels: { PROTO: 'x', constructor: 'y' } } }).replace('PROTO', '__proto__');
  const p = policyFromText(text) as NetPolicy;
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.equal(Object.getPrototypeOf(p.podSelector.matchLabels), Object.prototype);
  assert.deepEqual(Object.keys(p.podSelector.matchLabels!).sort(), ['__proto__', 'constructor']);
  const y = (await render(p)).text;
  assert.match(y, /__proto__: x/);
});

test('capabilities: securityContext, container and Pod manifests; unknown names rejected', () => {
  fails('securityContext:\n  capabilities:\n    add: [NET_ADMIN, TELEPORT]\n', 'securityContext.capabilities.add[1]', /unknown capability "TELEPORT"/);
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n    - name: b\n      securityContext:\n        capabilities: {drop: [ALL], add: [CAP_CHOWN, net_raw]}\n';
  const p = policyFromText(pod) as CapsPolicy;
  assert.deepEqual(p.drop, ['ALL']);
  assert.deepEqual(p.add.map((r) => r.cap), ['CAP_CHOWN', 'CAP_NET_RAW']);
  fails('apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          securityContext: {capabilities: {add: [1]}}\n', 'spec.template.spec.containers[0].securityContext.capabilities.add[0]', /expected string/);
});

test('size bounds, broken syntax and alias bombs', () => {
  fails(' '.repeat(MAX_POLICY_BYTES + 1), '(file)', /larger than/);
  fails('{"defaultAction": ', '(file)', /invalid JSON/);
  fails('a: [1, 2\nb: 3', '(file)', /invalid YAML/);
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 9; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill('*' + String.fromCharCode(97 + i)).join(',')}]`);
  assert.throws(() => policyFromText(bomb.join('\n')), PolicyParseError);
  fails('kind: Secret\n', '(root)', /not a policy/);
  fails('[1,2]', '(root)', /expected an object/);
});

test('pod lists: bounded and validated with paths', () => {
  assert.throws(() => parseInventory('{"items":[{"metadata":{"name":"a"}},{"metadata":{"name":5}}]}'), (e: PolicyParseError) => e.path === 'items[1].metadata.name');
  assert.throws(() => parseInventory('{"items":[{"metadata":{"name":"a"},"spec":{"hostNetwork":"yes"}}]}'), (e: PolicyParseError) => e.path === 'items[0].spec.hostNetwork');
  const inv = parseInventory('{"items":[{"kind":"Namespace","metadata":{"name":"ops","labels":{"team":"ops"}}},{"metadata":{"name":"a","namespace":"ops","ownerReferences":[{"kind":"ReplicaSet","name":"api-7d9f8b6c5"}]},"status":{"podIPs":[{"ip":"10.1.0.1"},{"ip":"fd00::1"}]}}]}');
  assert.deepEqual(inv.pods[0]!.ips, ['10.1.0.1', 'fd00::1']);
  assert.equal(inv.pods[0]!.owner, 'api');
  assert.equal(inv.namespaces.get('ops')!.team, 'ops');
});

test('loaded policies export and read back unchanged', async () => {
  const np = policyFromText(
    NP({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }], ports: [{ port: 'http' }, { protocol: 'UDP', port: 5000, endPort: 5010 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }, {}],
    }),
  );
  for (const fmt of ['k8s', 'cilium'] as const) await render(np, fmt);
  const back = policyFromText((await render(np)).text);
  assert.deepEqual(semanticDiff(np, back), []);
  assert.deepEqual(semanticDiff(back, np), []);
});

test('files with several policies: YAML documents and Lists, errors name the document or item', () => {
  const web = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 80 }] }] } };
  const cli = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'client', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 80 }] }] } };
  const list = policiesFromText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [web, cli] }));
  assert.deepEqual(list.map((p) => (p as NetPolicy).name), ['web', 'client']);
  const docs = policiesFromText(`${stringify(web)}---\n${stringify(cli)}`);
  assert.equal(docs.length, 2);
  assert.throws(
    () => policiesFromText(`${stringify(web)}---\n${stringify({ ...cli, spec: { ...cli.spec, policyTypes: ['Up'] } })}`),
    (e: PolicyParseError) => e.path === 'document 2: spec.policyTypes[0]',
  );
  assert.throws(
    () => policiesFromText(JSON.stringify({ kind: 'NetworkPolicyList', items: [web, { ...cli, spec: { podSelector: 3 } }] })),
    (e: PolicyParseError) => e.path === 'items[1].spec.podSelector',
  );
  assert.throws(() => policyFromText(`${stringify(web)}---\n${stringify(cli)}`), PolicyParseError, 'one policy expected');
});

test('a Docker profile exports to OCI without its conditional rules, and reads back', async () => {
  const docker = policyFromText(
    JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
        { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }] },
        { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_PTRACE'] } },
        { names: ['kexec_load'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 },
      ],
    }),
  ) as SeccompPolicy;
  const oci = JSON.parse((await render(docker, 'oci')).text);
  assert.ok(!JSON.stringify(oci).includes('ptrace'), 'a conditional allow cannot be written unconditionally');
  assert.ok(JSON.stringify(oci).includes('personality'));
  const back = policyFromText(JSON.stringify(oci)) as SeccompPolicy;
  assert.deepEqual(semanticDiff(docker, back).map((e) => [e.change, e.subject]), [['removed', 'rule SCMP_ACT_ALLOW ptrace']]);
  const again = policyFromText((await render(back, 'spo')).text);
  assert.deepEqual(semanticDiff(back, again), []);
});
