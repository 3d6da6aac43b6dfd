// A runc container built from busybox-static, with Kubernetes annotations: the container line,
// attribution of its events, and its syscall set split into runtime setup and workload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { type Collector, ensureBuilt, requireRoot, run, startCollector } from './collector-harness.js';
import { deleteContainer, makeBundle, removeBundle } from './policy-harness.js';

let c: Collector;
let bundle: string;
const id = `th-test-${process.pid}-${Date.now() % 100000}`;

const ANNOTATIONS = {
  'io.kubernetes.pod.name': 'web-7d4b9',
  'io.kubernetes.pod.namespace': 'shop',
  'io.kubernetes.pod.uid': '0b0e5a8e-1111-2222-3333-444455556666',
  'io.kubernetes.cri.sandbox-id': 'f'.repeat(64),
  'io.kubernetes.container.name': 'web',
};

before(async () => {
  requireRoot();
  ensureBuilt();
  bundle = makeBundle({ args: ['sh', '-c', 'ls /bin >/dev/null; cat /marker-file 2>/dev/null; sleep 1; exit 4'], annotations: ANNOTATIONS });
  c = await startCollector(['--no-snapshot', '--kinds=-open']);
});

after(async () => {
  await c?.stop();
  deleteContainer(id);
  removeBundle(bundle);
});

test('runc container: container line, attributed events, syscall sets', async () => {
  const r = await run('runc', ['run', '--bundle', bundle, id]);
  assert.equal(r.code, 4, r.out);
  await c.settle();

  const ctr = c.of('container').find((l) => l.cid === id);
  assert.ok(ctr, `container line for ${id}`);
  assert.equal(ctr.runtime, 'runc');
  assert.equal(ctr.pod, 'web-7d4b9');
  assert.equal(ctr.namespace, 'shop');
  assert.equal(ctr.pod_uid, '0b0e5a8e-1111-2222-3333-444455556666');
  assert.equal(ctr.sandbox_id, 'f'.repeat(64));
  assert.equal(ctr.name, 'web');
  assert.equal(ctr.bundle, bundle);
  assert.equal(ctr.annotations['io.kubernetes.pod.namespace'], 'shop');
  assert.ok(ctr.cgroup > 1);
  assert.equal(c.of('container').filter((l) => l.cid === id).length, 1, 'once per container');

  const mine = c.lines.filter((l) => l.cid === id);
  const sh = mine.find((l) => l.kind === 'exec' && l.argv?.[0] === 'sh');
  assert.ok(sh, `the workload exec is attributed to the container: ${JSON.stringify(c.lines.filter((l) => l.kind === 'exec' && l.comm !== 'node').map((l) => [l.argv, l.cid, l.cgroup]))}`);
  assert.equal(sh.cgroup, ctr.cgroup);
  const hostPidns = c.lines.find((l) => l.kind === 'exec' && l.pid === r.pid)?.pidns;
  if (hostPidns) assert.notEqual(sh.pidns, hostPidns, 'own pid namespace');
  assert.ok(mine.some((l) => l.kind === 'exec' && l.argv?.[0] === 'cat'));
  const exit = mine.find((l) => l.kind === 'exit' && l.pid === sh.pid);
  assert.equal(exit?.code, 4);

  // the runtime's own work: namespaces and mounts, seen from runc's processes
  const runc = new Set(c.lines.filter((l) => typeof l.comm === 'string' && l.comm.startsWith('runc')).map((l) => l.pid));
  assert.ok(
    c.of('ns').some((l) => runc.has(l.pid) && (l.flags & 0x20000000) !== 0),
    'runc creates a pid namespace (CLONE_NEWPID)',
  );
  assert.ok(c.of('mount').some((l) => runc.has(l.pid) && l.fstype === 'proc' && l.ret === 0), 'runc mounts proc');

  const sets = c.of('syscalls').filter((l) => l.cid === id);
  const workload = new Set(sets.filter((l) => l.phase === 'workload').flatMap((l) => l.nr as number[]));
  const runtime = new Set(sets.filter((l) => l.phase === 'runtime').flatMap((l) => l.nr as number[]));
  for (const [nr, name] of [
    [217, 'getdents64 (ls)'],
    [257, 'openat'],
    [61, 'wait4 (sh)'],
    [231, 'exit_group'],
  ] as const)
    assert.ok(workload.has(nr), `workload set has ${name}: ${[...workload]}`);
  assert.ok(runtime.size > 0, 'runc init setup counted apart');
  assert.ok(runtime.has(59), 'execve of the workload is issued by runc init');
  for (const l of sets) assert.equal(l.arch, 'x86_64');
  assert.deepEqual(c.invalid, []);
});

test('--container keeps only that container', async () => {
  const other = `${id}-b`;
  const dir = makeBundle({ args: ['sh', '-c', 'true; sleep 1'], annotations: ANNOTATIONS });
  try {
    const s = await startCollector(['--no-snapshot', '--container', other, '--kinds=exec,exit,fork']);
    try {
      const host = await run('/bin/true', []);
      const r = await run('runc', ['run', '--bundle', dir, other]);
      assert.equal(r.code, 0, r.out);
      await s.settle();
      assert.ok(s.of('exec').some((l) => l.cid === other && l.argv[0] === 'sh'));
      assert.ok(!s.lines.some((l) => l.pid === host.pid));
      assert.ok(s.lines.filter((l) => 'pid' in l).every((l) => l.cid === other));
    } finally {
      await s.stop();
    }
  } finally {
    deleteContainer(other);
    removeBundle(dir);
  }
});
