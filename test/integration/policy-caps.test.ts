// Capability drafts verified under runc: recorded with a broad set, the workload runs with only the
// drafted capabilities, and fails with any one of them removed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { draftCaps, render, policyFromText } from '../../electron/core/policy/index.js';
import { ensureBuilt, requireRoot, startCollector, type Collector } from './collector-harness.js';
import { containerId, deleteContainer, makeBundle, observedFrom, removeBundle, runContainer, recordContainer } from './policy-harness.js';

// chown to another user needs CAP_CHOWN; a server on port 80 needs CAP_NET_BIND_SERVICE
const WORKLOAD = ['sh', '-c', 'set -e; touch /tmp/f; chown 1000:1000 /tmp/f; stat -c %u /tmp/f; mkdir -p /tmp/w; httpd -p 80 -h /tmp/w; kill $(pidof httpd); echo done; sleep 1']; // the sleep gives the collector time to resolve the container
const BROAD = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_RAW',
  'CAP_SYS_CHROOT',
  'CAP_MKNOD',
  'CAP_AUDIT_WRITE',
  'CAP_SETFCAP',
];

let c: Collector;
const ids: string[] = [];
const bundles: string[] = [];

before(() => {
  requireRoot();
  ensureBuilt();
});

after(async () => {
  await c?.stop();
  ids.forEach(deleteContainer);
  bundles.forEach(removeBundle);
});

async function runWith(caps: string[], tag: string) {
  const id = containerId(tag);
  ids.push(id);
  const b = makeBundle({ args: WORKLOAD, caps });
  bundles.push(b);
  return runContainer(b, id);
}

test('the workload runs with only the drafted capabilities, and not without any one of them', async () => {
  const recId = containerId('caps');
  ids.push(recId);
  const rec = makeBundle({ args: WORKLOAD, caps: BROAD });
  bundles.push(rec);
  c = await startCollector(['--no-snapshot', '--container', recId, '--kinds=-open']);
  const first = await runContainer(rec, recId);
  assert.equal(first.code, 0, first.out + first.err);
  await c.settle();
  await c.stop();

  const o = observedFrom(c).find((x) => x.key === recId);
  assert.ok(o, 'the container was observed');
  const policy = draftCaps(o);
  const added = policy.add.map((r) => r.cap);
  assert.ok(added.includes('CAP_CHOWN') && added.includes('CAP_NET_BIND_SERVICE'), `drafted: ${added}; review: ${JSON.stringify(policy.review.map((r) => [r.cap, r.why]))}`);
  for (const r of policy.add) assert.ok(r.evidence.length > 0 && r.evidence.every((e) => e.pid !== undefined && e.comm), `${r.cap} has process evidence`);

  // the exported securityContext reads back to the same capabilities
  const back = policyFromText((await render(policy)).text);
  assert.equal(back.type, 'caps');
  const caps = back.type === 'caps' ? back.add.map((r) => r.cap) : [];
  assert.deepEqual(caps, added);

  const ok = await runWith(caps, 'caps-ok');
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.equal(ok.out, first.out);
  for (const cap of caps) {
    const r = await runWith(caps.filter((x) => x !== cap), `caps-no-${cap.slice(4).toLowerCase()}`);
    assert.notEqual(r.code, 0, `without ${cap} the workload fails: ${r.out}${r.err}`);
  }
});

test('without the capability probe, capabilities inferred from actions also suffice', async () => {
  const recId = containerId('caps-inf');
  ids.push(recId);
  const rec = makeBundle({ args: WORKLOAD, caps: BROAD });
  bundles.push(rec);
  const col = await recordContainer(rec, recId, ['--kinds=-open,-cap']);
  const o = observedFrom(col).find((x) => x.key === recId);
  assert.ok(o, 'the container was observed');
  assert.equal(o.capProbe, false);
  const policy = draftCaps(o);
  assert.ok(policy.add.every((r) => r.basis === 'inferred'));
  const caps = policy.add.map((r) => r.cap);
  assert.ok(caps.includes('CAP_CHOWN') && caps.includes('CAP_NET_BIND_SERVICE'), `inferred: ${JSON.stringify(policy.add.map((r) => [r.cap, r.why]))}`);
  const ok = await runWith(caps, 'caps-inf-ok');
  assert.equal(ok.code, 0, ok.out + ok.err);
});
