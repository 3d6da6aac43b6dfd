// seccomp drafts verified on the real kernel: a busybox workload (HTTP server answering requests,
// files and processes) recorded by the collector in a runc container, its drafted profile applied
// to the same workload in a new container (same output), then one needed syscall removed (EPERM).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { draftSeccomp, mergePolicies, render, RUNTIME_BASE } from '../../electron/core/policy/index.js';
import type { SeccompPolicy } from '../../shared/policy.js';
import { ensureBuilt, requireRoot, startCollector, type Collector } from './collector-harness.js';
import { containerId, deleteContainer, makeBundle, observedFrom, removeBundle, runContainer, setBundle, recordContainer } from './policy-harness.js';

const port = 20000 + (process.pid % 20000);
const WORKLOAD = [
  'sh',
  '-c',
  [
    'mkdir -p /tmp/www/sub',
    'echo hello-from-httpd > /tmp/www/index.html',
    `httpd -p 127.0.0.1:${port} -h /tmp/www`,
    'n=0; until wget -q -O - http://127.0.0.1:' + port + '/index.html; do n=$((n+1)); [ $n -gt 50 ] && exit 9; sleep 0.1; done',
    `wget -q -O /tmp/copy http://127.0.0.1:${port}/index.html`,
    'wc -c < /tmp/copy',
    'ls /tmp/www',
    'for i in $(seq 1 3); do echo line-$i; done | cut -d- -f2',
    'kill $(pidof httpd)',
    'rm -r /tmp/www',
    'echo done',
    // time for the collector to resolve the container, even on a loaded machine
    'sleep 1',
  ].join('; '),
];

let c: Collector;
const ids: string[] = [];
const bundles: string[] = [];

before(async () => {
  requireRoot();
  ensureBuilt();
});

after(async () => {
  await c?.stop();
  ids.forEach(deleteContainer);
  bundles.forEach(removeBundle);
});

test('a drafted profile runs the workload it was drafted from; without a needed syscall it fails with EPERM', async () => {
  const recId = containerId('rec');
  ids.push(recId);
  const rec = makeBundle({ args: WORKLOAD, hostNetwork: true });
  bundles.push(rec);
  c = await startCollector(['--no-snapshot', '--container', recId, '--kinds=-open']);
  const first = await runContainer(rec, recId);
  assert.equal(first.code, 0, first.out + first.err);
  assert.match(first.out, /hello-from-httpd/);
  await c.settle();
  await c.stop();

  const o = observedFrom(c).find((x) => x.key === recId);
  assert.ok(o, 'the container was observed');
  const runtimeOnly = o.syscalls.filter((s) => s.phase === 'runtime').map((s) => s.name);
  assert.ok(runtimeOnly.includes('pivot_root') || runtimeOnly.includes('mount'), `runc setup seen: ${runtimeOnly}`);

  // recorded without a filter (Kubernetes' default), runc's calls after the point where it would
  // install one are counted with its setup: the runtime base covers them
  const policy = draftSeccomp(o);
  const names = policy.allow.map((r) => r.name);
  for (const n of ['pivot_root', 'mount', 'umount2', 'sethostname']) assert.ok(!names.includes(n), `runtime setup ${n} left out`);
  for (const n of RUNTIME_BASE) assert.ok(names.includes(n), n);
  assert.ok(names.length < 120, `a narrow profile (${names.length} syscalls)`);
  const profile = JSON.parse((await render(policy, 'oci')).text);

  const okId = containerId('ok');
  ids.push(okId);
  const ok = makeBundle({ args: WORKLOAD, hostNetwork: true, seccomp: profile });
  bundles.push(ok);
  const second = await runContainer(ok, okId);
  assert.equal(second.code, 0, second.out + second.err);
  assert.equal(second.out, first.out, 'same output under the drafted profile');

  // mkdir is the workload's own call, numbered below the highest allowed: EPERM, not ENOSYS
  assert.ok(names.includes('mkdir'));
  setBundle(ok, (cfg) => {
    cfg.linux.seccomp.syscalls[0].names = cfg.linux.seccomp.syscalls[0].names.filter((n: string) => n !== 'mkdir');
  });
  const badId = containerId('bad');
  ids.push(badId);
  const third = await runContainer(ok, badId);
  assert.notEqual(third.code, 0);
  assert.match(third.out + third.err, /mkdir: can't create directory '[^']*': Operation not permitted/);

  // the same narrowed profile in complain mode logs instead of denying: the workload runs
  const narrowed = { ...policy, allow: policy.allow.filter((r) => r.name !== 'mkdir') };
  const complain = JSON.parse((await render(narrowed, 'oci', { complain: true })).text);
  assert.equal(complain.defaultAction, 'SCMP_ACT_LOG');
  setBundle(ok, (cfg) => {
    cfg.linux.seccomp = complain;
  });
  const logId = containerId('log');
  ids.push(logId);
  const fourth = await runContainer(ok, logId);
  assert.equal(fourth.code, 0, fourth.out + fourth.err);
  assert.equal(fourth.out, first.out);
});

test('recorded under a filter, runc\'s calls after the filter are in the workload phase', async () => {
  const recId = containerId('rec-f');
  ids.push(recId);
  // log-only filter: runc installs it, so the collector sees where setup ends
  const rec = makeBundle({ args: WORKLOAD, hostNetwork: true, seccomp: { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'], syscalls: [{ names: ['kexec_load'], action: 'SCMP_ACT_ERRNO' }] } });
  bundles.push(rec);
  const col = await recordContainer(rec, recId, ['--kinds=-open']);
  const o = observedFrom(col).find((x) => x.key === recId);
  assert.ok(o);
  const seen = draftSeccomp(o, { runtimeBase: false }).allow.map((r) => r.name);
  for (const n of ['pivot_root', 'mount', 'sethostname']) assert.ok(!seen.includes(n), `runtime setup ${n} left out`);
  // runc checks /proc/self/fd with fstatfs after installing the filter; busybox never calls it
  assert.ok(seen.includes('fstatfs'), `runc's post-filter calls are workload phase: ${seen}`);
  const missing = RUNTIME_BASE.filter((n) => !seen.includes(n));
  // the Go runtime's calls on that thread depend on scheduling: the base still covers them
  const policy = draftSeccomp(o);
  const id = containerId('ok-f');
  ids.push(id);
  const b = makeBundle({ args: WORKLOAD, hostNetwork: true, seccomp: JSON.parse((await render(policy, 'oci')).text) });
  bundles.push(b);
  const r = await runContainer(b, id);
  assert.equal(r.code, 0, `${r.out}${r.err} (base calls not seen: ${missing})`);
  assert.match(r.out, /hello-from-httpd/);
});

test('replicas doing different work: the merged profile runs both, one replica\'s own does not run the other', async () => {
  // two replicas of one workload, each taking another code path; "ln -s" needs symlink(at)
  const jobs = {
    a: ['sh', '-c', 'set -e; mkdir /tmp/a; echo a > /tmp/a/f; cat /tmp/a/f; sleep 1'],
    b: ['sh', '-c', 'set -e; echo b > /tmp/b; ln -s /tmp/b /tmp/l; cat /tmp/l; sleep 1'],
  };
  const drafts: Record<string, ReturnType<typeof draftSeccomp>> = {};
  for (const [name, args] of Object.entries(jobs)) {
    const recId = containerId(`rep-${name}`);
    ids.push(recId);
    const b = makeBundle({ args, hostNetwork: true });
    bundles.push(b);
    const col = await startCollector(['--no-snapshot', '--container', recId, '--kinds=-open']);
    try {
      const r = await runContainer(b, recId);
      assert.equal(r.code, 0, r.out + r.err);
      await col.settle();
    } finally {
      await col.stop();
    }
    const o = observedFrom(col).find((x) => x.key === recId);
    assert.ok(o, `replica ${name} observed`);
    drafts[name] = draftSeccomp(o);
  }
  const merged = mergePolicies([drafts.a!, drafts.b!]) as SeccompPolicy;
  assert.equal(merged.provenance?.container?.split(',').length, 2, 'provenance names both replicas');
  const onlyB = merged.allow.map((r) => r.name).filter((n) => !drafts.a!.allow.some((r) => r.name === n));
  assert.ok(onlyB.some((n) => n === 'symlink' || n === 'symlinkat'), `b's own calls: ${onlyB}`);

  const runUnder = async (p: SeccompPolicy, args: string[], tag: string) => {
    const id = containerId(tag);
    ids.push(id);
    const b = makeBundle({ args, hostNetwork: true, seccomp: JSON.parse((await render(p, 'oci')).text) });
    bundles.push(b);
    return runContainer(b, id);
  };
  for (const [name, args] of Object.entries(jobs)) {
    const r = await runUnder(merged, args, `merged-${name}`);
    assert.equal(r.code, 0, `replica ${name} under the merged profile: ${r.out}${r.err}`);
  }
  const cross = await runUnder(drafts.a!, jobs.b, 'a-runs-b');
  assert.notEqual(cross.code, 0, cross.out + cross.err);
  assert.match(cross.out + cross.err, /ln: .*Operation not permitted/);
});
