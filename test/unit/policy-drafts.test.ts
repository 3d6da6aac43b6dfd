// Drafts from collector lines: seccomp, capabilities and NetworkPolicy, their formats, round
// trips, diffs, merges and audits. The lines have the collector's wire shape (shared/PROTOCOL.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLine } from '../../shared/events';
import {
  audit,
  draftCaps,
  draftFor,
  draftNetpol,
  draftSeccomp,
  mergePolicies,
  observe,
  parseInventory,
  policyFromText,
  render,
  semanticDiff,
  unifiedDiff,
  type SourcedEvent,
} from '../../electron/core/policy';
import { syscallNumber } from '../../electron/core/policy/syscalls';
import type { NetPolicy, SeccompPolicy } from '../../shared/policy';

const CID = 'a'.repeat(64);
let t = 1_000_000_000;
const ctx = (pid: number, comm: string, extra: Record<string, unknown> = {}) => ({
  ts: (t += 1000),
  pid,
  tid: pid,
  ppid: 1,
  uid: 0,
  gid: 0,
  comm,
  cgroup: 4242,
  cid: CID,
  mntns: 1,
  pidns: 2,
  netns: 3,
  ...extra,
});
const nr = (n: string) => syscallNumber('x86_64', n)!;

function lines(capture: string, workload: string[], extra: object[] = []): SourcedEvent[] {
  t = 1_000_000_000;
  const raw = [
    { kind: 'hello', proto: 1, collector: 'v-test', kernel: '6.1', arch: 'x86_64', boot_id: 'b', hostname: 'node-1', clock: { boot_ns: 0, wall_ns: 1 }, probes: { cap: { live: true } } },
    { kind: 'container', cid: CID, cgroup: 4242, runtime: 'runc', name: 'web', pod: 'web-1', namespace: 'shop', image: 'busybox' },
    { kind: 'syscalls', ts: (t += 1), cgroup: 4242, cid: CID, arch: 'x86_64', phase: 'runtime', nr: [nr('mount'), nr('pivot_root'), nr('execve')] },
    { kind: 'syscalls', ts: (t += 1), cgroup: 4242, cid: CID, arch: 'x86_64', phase: 'workload', nr: workload.map(nr) },
    { kind: 'net', ...ctx(10, 'httpd'), op: 'bind', proto: 'tcp', family: 4, saddr: '0.0.0.0', sport: 80, daddr: '0.0.0.0', dport: 0, ret: 0 },
    { kind: 'net', ...ctx(10, 'httpd'), op: 'accept', proto: 'tcp', family: 4, saddr: '10.0.0.1', sport: 80, daddr: '10.0.1.1', dport: 40000, ret: 5 },
    { kind: 'net', ...ctx(11, 'wget'), op: 'connect', proto: 'tcp', family: 4, saddr: '10.0.0.1', sport: 40001, daddr: '10.0.0.2', dport: 5432, ret: -115 },
    { kind: 'net', ...ctx(11, 'wget'), op: 'send', proto: 'udp', family: 4, saddr: '10.0.0.1', sport: 40002, daddr: '10.96.0.10', dport: 53 },
    { kind: 'net', ...ctx(11, 'wget'), op: 'connect', proto: 'tcp', family: 4, saddr: '127.0.0.1', sport: 40003, daddr: '127.0.0.1', dport: 9000, ret: 0 },
    { kind: 'cap', ...ctx(10, 'httpd'), cap: 10, cap_name: 'CAP_NET_BIND_SERVICE', verdict: 'allow' },
    { kind: 'cap', ...ctx(10, 'httpd'), cap: 21, cap_name: 'CAP_SYS_ADMIN', verdict: 'allow' },
    { kind: 'cap', ...ctx(12, 'chown'), cap: 0, cap_name: 'CAP_CHOWN', verdict: 'allow' },
    { kind: 'cap', ...ctx(12, 'ping'), cap: 13, cap_name: 'CAP_NET_RAW', verdict: 'deny' },
    { kind: 'cap', ...ctx(7, 'runc:[2:INIT]'), cap: 19, cap_name: 'CAP_SYS_PTRACE', verdict: 'allow' },
    { kind: 'mount', ...ctx(7, 'runc:[2:INIT]'), op: 'mount', source: 'proc', target: '/proc', fstype: 'proc', flags: 0, ret: 0 },
    ...extra,
  ];
  return raw.map((l, i) => {
    const r = parseLine(JSON.stringify(l));
    assert.ok(r.ok, `line ${i} is a valid collector line: ${JSON.stringify(r)}`);
    return { event: r.event, seq: i + 1, capture: capture };
  });
}

const WORKLOAD = ['read', 'write', 'openat', 'close', 'execve', 'accept4', 'chown', 'exit_group'];
const inventory = parseInventory(
  JSON.stringify({
    items: [
      { metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web', 'pod-template-hash': 'abc' } }, status: { podIP: '10.0.0.1' } },
      { metadata: { name: 'db-1', namespace: 'shop', labels: { app: 'db' } }, status: { podIP: '10.0.0.2' } },
      { metadata: { name: 'coredns-1', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': 'x1' } }, spec: { containers: [{ ports: [{ name: 'dns', containerPort: 5353, protocol: 'UDP' }] }] }, status: { podIP: '10.244.0.5' } },
      { kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ port: 53, protocol: 'UDP', targetPort: 'dns' }] } },
    ],
  }),
);

test('observe groups by container and keeps provenance and evidence', () => {
  const [o, ...rest] = observe(lines('cap-1', WORKLOAD));
  assert.equal(rest.length, 0);
  assert.equal(o!.key, CID);
  assert.equal(o!.provenance.pod, 'web-1');
  assert.equal(o!.provenance.namespace, 'shop');
  assert.equal(o!.provenance.node, 'node-1');
  assert.equal(o!.provenance.collector, 'v-test');
  assert.deepEqual(o!.provenance.captures, ['cap-1']);
  // boot-time ns 1e9 + a little, wall anchor 1 ns ahead: one second after the epoch
  assert.match(o!.provenance.wallFrom!, /^1970-01-01T00:00:01\.\d{3}Z$/);
  assert.ok(o!.provenance.wallFrom! <= o!.provenance.wallTo!);
  // wall-clock selection through the clock anchor: the events sit just after 1 s past the epoch
  assert.deepEqual(observe(lines('cap-1', WORKLOAD), { wallFrom: 2000 }), []);
  assert.equal(observe(lines('cap-1', WORKLOAD), { wallFrom: 1000, wallTo: 2000 })[0]!.syscalls.length, o!.syscalls.length);
  const accept = o!.flows.find((f) => f.direction === 'ingress')!;
  assert.equal(accept.localPort, 80);
  assert.equal(accept.evidence[0]!.comm, 'httpd');
  assert.equal(typeof accept.evidence[0]!.seq, 'number');
  assert.ok(!o!.caps.some((c) => c.cap === 'CAP_SYS_PTRACE'), 'runc setup is not the workload');
  assert.ok(!o!.capHints.some((h) => h.why.includes('/proc')), 'runc mounts are not the workload');
});

test('seccomp: workload phase only, runtime base added, OCI and SPO formats round-trip', async () => {
  const [o] = observe(lines('cap-1', WORKLOAD));
  const p = draftSeccomp(o!);
  const names = p.allow.map((r) => r.name);
  for (const n of WORKLOAD) assert.ok(names.includes(n), n);
  assert.ok(!names.includes('mount') && !names.includes('pivot_root'), 'runtime setup left out');
  assert.ok(names.includes('fstatfs') && names.includes('getdents64'), 'runtime base after the filter');
  assert.equal(p.allow.find((r) => r.name === 'chown')!.evidence[0]!.kind, 'syscalls');

  const oci = await render(p, 'oci');
  const doc = JSON.parse(oci.text);
  assert.equal(doc.defaultAction, 'SCMP_ACT_ERRNO');
  assert.deepEqual(doc.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  assert.deepEqual(doc.syscalls[0].names, [...names].sort());
  const complain = JSON.parse((await render(p, 'oci', { complain: true })).text);
  assert.equal(complain.defaultAction, 'SCMP_ACT_LOG');
  assert.equal(complain.defaultErrnoRet, undefined);

  for (const fmt of ['oci', 'spo'] as const) {
    const text = (await render(p, fmt)).text;
    const back = policyFromText(text) as SeccompPolicy;
    assert.deepEqual(semanticDiff(p, back), [], `${fmt} round trip`);
    assert.equal((await render(back, fmt)).text.replace(/ *#.*$/gm, ''), text.replace(/ *#.*$/gm, ''));
  }
  const spo = (await render(p, 'spo')).text;
  assert.match(spo, /kind: SeccompProfile/);
  assert.match(spo, /tracehound.dev\/pod: web-1/);
  assert.match(spo, /- chown # chown\[12\]|- chown # syscalls/);
});

test('capabilities: observed checks drafted, noise and denials for review', async () => {
  const [o] = observe(lines('cap-1', WORKLOAD));
  const p = draftCaps(o!);
  assert.deepEqual(p.drop, ['ALL']);
  assert.deepEqual(p.add.map((r) => [r.cap, r.basis]), [['CAP_CHOWN', 'observed'], ['CAP_NET_BIND_SERVICE', 'observed']]);
  assert.match(p.add[1]!.why!, /port 80/);
  const review = new Map(p.review.map((r) => [r.cap, r.why]));
  assert.match(review.get('CAP_NET_RAW')!, /denied/);
  assert.match(review.get('CAP_SYS_ADMIN')!, /heuristic/);
  const y = (await render(p)).text;
  assert.match(y, /- NET_BIND_SERVICE # observed: binds port 80/);
  const back = policyFromText(y);
  assert.deepEqual(semanticDiff(p, back), []);

  // without the capability probe, the same behaviour gives inferred capabilities
  const noProbe = lines('cap-1', WORKLOAD).map((s) => (s.event.kind === 'hello' ? { ...s, event: { ...s.event, probes: {} } } : s));
  const inferred = draftCaps(observe(noProbe)[0]!);
  assert.deepEqual(inferred.add.map((r) => [r.cap, r.basis]), [['CAP_CHOWN', 'inferred'], ['CAP_NET_BIND_SERVICE', 'inferred']]);
});

test('NetworkPolicy: pod selectors for known pods, ipBlock otherwise, loopback dropped, deterministic', async () => {
  const [o] = observe(lines('cap-1', WORKLOAD));
  const { policy, notes } = draftNetpol(o!, inventory);
  assert.equal(policy.name, 'web-1-network');
  assert.equal(policy.namespace, 'shop');
  assert.deepEqual(policy.podSelector, { matchLabels: { app: 'web' } }, 'instance labels dropped');
  assert.deepEqual(policy.ingress.map((r) => [r.peers, r.ports]), [[[{ ipBlock: { cidr: '10.0.1.1/32' } }], [{ protocol: 'TCP', port: 80 }]]]);
  assert.deepEqual(policy.egress.map((r) => [r.peers, r.ports]), [
    [[{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], [{ protocol: 'UDP', port: 'dns' }]],
    [[{ podSelector: { matchLabels: { app: 'db' } } }], [{ protocol: 'TCP', port: 5432 }]],
  ]);
  assert.ok(notes.some((n) => n.includes('10.0.1.1/32')));
  const a = (await render(policy, 'k8s', { notes })).text;
  const b = (await render(draftNetpol(observe(lines('cap-1', WORKLOAD))[0]!, inventory).policy, 'k8s', { notes })).text;
  assert.equal(a, b);
  const back = policyFromText(a) as NetPolicy;
  assert.deepEqual(semanticDiff(policy, back), []);
  const cil = (await render(policy, 'cilium')).text;
  assert.match(cil, /kind: CiliumNetworkPolicy/);
  assert.match(cil, /k8s:io.kubernetes.pod.namespace: kube-system/);
  // the draft allows every recorded connection, the DNS one through the Service to its pod
  assert.deepEqual(audit(policy, o!, inventory), []);
  const noDns = { ...policy, egress: policy.egress.filter((r) => !r.ports.some((p) => p.port === 'dns')) };
  assert.deepEqual(audit(noDns, o!, inventory).map((f) => f.detail), ['egress to service kube-system/kube-dns (10.96.0.10):53/UDP']);
});

test('semantic and textual diffs; merge of two captures', async () => {
  const [o1] = observe(lines('cap-1', WORKLOAD));
  const extra = [{ kind: 'net', ...ctx(13, 'curl'), op: 'connect', proto: 'tcp', family: 4, saddr: '10.0.0.1', sport: 40010, daddr: '10.0.0.2', dport: 6432, ret: 0 }];
  const [o2] = observe(lines('cap-2', [...WORKLOAD.filter((n) => n !== 'chown'), 'ptrace'], extra));
  const s1 = draftSeccomp(o1!);
  const s2 = draftSeccomp(o2!);
  const d = semanticDiff(s1, s2);
  assert.deepEqual(d.map((e) => [e.change, e.subject]), [['added', 'syscall ptrace'], ['removed', 'syscall chown']]);
  assert.equal(d[0]!.evidence[0]!.capture, 'cap-2');
  assert.equal(d[0]!.after, 'high risk: traces other processes');
  const text = unifiedDiff('a.json', (await render(s1)).text, 'b.json', (await render(s2)).text);
  assert.match(text, /^-\s+"chown",$/m);
  assert.match(text, /^\+\s+"ptrace",$/m);
  assert.equal(unifiedDiff('a', 'x', 'b', 'x'), '');

  const n1 = draftNetpol(o1!, inventory).policy;
  const n2 = draftNetpol(o2!, inventory).policy;
  const nd = semanticDiff(n1, n2);
  assert.deepEqual(nd.map((e) => e.change), ['widened'], JSON.stringify(nd));
  assert.match(nd[0]!.subject, /6432/);

  const merged = mergePolicies([s1, s2]) as SeccompPolicy;
  assert.ok(merged.allow.some((r) => r.name === 'chown') && merged.allow.some((r) => r.name === 'ptrace'));
  assert.deepEqual(merged.provenance!.captures, ['cap-1', 'cap-2']);
  const mn = mergePolicies([n1, n2]) as NetPolicy;
  const dbRule = mn.egress.find((r) => JSON.stringify(r.peers).includes('"db"'))!;
  assert.deepEqual(dbRule.ports, [{ protocol: 'TCP', port: 5432 }, { protocol: 'TCP', port: 6432 }], 'ports merged per peer');
  assert.deepEqual(audit(mn, o1!, inventory), []);
  assert.deepEqual(audit(mn, o2!, inventory), []);
});

test('audit lists what a policy would deny, with process and time', () => {
  const [o1] = observe(lines('cap-1', WORKLOAD));
  const narrow = draftSeccomp(o1!);
  narrow.allow = narrow.allow.filter((r) => r.name !== 'chown');
  const f = audit(narrow, o1!);
  assert.deepEqual(f.map((x) => x.detail), ['syscall chown']);
  const n = draftNetpol(o1!, inventory).policy;
  n.egress = n.egress.filter((r) => !JSON.stringify(r.peers).includes('"db"'));
  const nf = audit(n, o1!, inventory);
  assert.equal(nf.length, 1);
  assert.match(nf[0]!.detail, /egress to shop\/db-1 \(10.0.0.2\):5432\/TCP/);
  assert.equal(nf[0]!.evidence[0]!.comm, 'wget');
  assert.equal(nf[0]!.evidence[0]!.pid, 11);
  const caps = draftCaps(o1!);
  caps.add = caps.add.filter((r) => r.cap !== 'CAP_CHOWN');
  assert.deepEqual(audit(caps, o1!).map((x) => x.detail), ['CAP_CHOWN']);
});

test('arm64 captures name syscalls from the arm64 table', () => {
  const ev = (l: object): SourcedEvent => {
    const r = parseLine(JSON.stringify(l));
    assert.ok(r.ok);
    return { event: r.event };
  };
  const [o] = observe([
    ev({ kind: 'hello', proto: 1, collector: 'v', kernel: '6.1', arch: 'aarch64', boot_id: 'b', hostname: 'arm-node', clock: { boot_ns: 0, wall_ns: 0 } }),
    ev({ kind: 'syscalls', ts: 5, cgroup: 9, cid: CID, arch: 'aarch64', phase: 'workload', nr: [56, 57, 63, 64, 221, 94] }),
  ]);
  const p = draftSeccomp(o!, { runtimeBase: false });
  assert.deepEqual(p.architectures, ['aarch64']);
  assert.deepEqual(p.allow.map((r) => r.name), ['close', 'execve', 'exit_group', 'openat', 'read', 'write']);
});

test('a loaded baseline is extended by a draft; what it blocks stays blocked', () => {
  const base = policyFromText(
    JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { names: ['read', 'futex'], action: 'SCMP_ACT_ALLOW' },
        { names: ['chown'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
      ],
    }),
  ) as SeccompPolicy;
  const [o] = observe(lines('cap-1', WORKLOAD));
  const merged = mergePolicies([base, draftSeccomp(o!)]) as SeccompPolicy;
  const names = merged.allow.map((r) => r.name);
  assert.ok(names.includes('futex') && names.includes('accept4'), 'both sides allowed');
  assert.ok(!names.includes('chown'), 'blocked by the baseline');
  assert.deepEqual(merged.other, [{ names: ['chown'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }]);
  assert.deepEqual(audit(merged, o!).map((f) => [f.detail, f.reason]), [['syscall chown', 'rule SCMP_ACT_ERRNO']]);
});

test('syscall numbers without a name are left out with a note', () => {
  const [o] = observe(lines('cap-1', WORKLOAD, [{ kind: 'syscalls', ts: 5, cgroup: 4242, cid: CID, arch: 'x86_64', phase: 'workload', nr: [999] }]));
  assert.ok(o!.syscalls.some((s) => s.name === 'syscall_999'));
  const { policy, notes } = draftFor('seccomp', o!);
  assert.ok(!(policy as SeccompPolicy).allow.some((r) => r.name.startsWith('syscall_')));
  assert.ok(notes.some((n) => n.includes('999')));
});

test('high-risk syscalls are flagged for review', async () => {
  const [o] = observe(lines('cap-1', [...WORKLOAD, 'ptrace', 'unshare']));
  const { policy, notes } = draftFor('seccomp', o!);
  const p = policy as SeccompPolicy;
  assert.equal(p.allow.find((r) => r.name === 'ptrace')!.risk, 'traces other processes');
  assert.equal(p.allow.find((r) => r.name === 'read')!.risk, undefined);
  assert.ok(notes.some((n) => n.includes('ptrace (traces other processes)') && n.includes('unshare')));
  assert.match((await render(p, 'spo')).text, /- ptrace # HIGH RISK \(traces other processes\)/);
});
