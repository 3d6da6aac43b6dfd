// NetworkPolicy drafts from real traffic between test hosts in network namespaces (veth pairs on
// a bridge inside a namespace of their own): the drafts allow every recorded connection and deny
// unrecorded ones, by the NetworkPolicy evaluator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { auditNetpol, draftNetpol, evaluate, parseInventory, policyFromText, render } from '../../electron/core/policy/index.js';
import type { NetPolicy } from '../../shared/policy.js';
import { ensureBuilt, requireRoot, run, startCollector, type Collector } from './collector-harness.js';
import { containerId, deleteContainer, makeBundle, observedFrom, removeBundle, runContainer } from './policy-harness.js';

const tag = `${process.pid % 10000}`;
const HUB = `th-np-hub-${tag}`;
const HOSTS = { web: { ns: `th-np-web-${tag}`, ip: '10.244.77.1' }, client: { ns: `th-np-cli-${tag}`, ip: '10.244.77.2' }, other: { ns: `th-np-oth-${tag}`, ip: '10.244.77.3' } };
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const inNs = (ns: string, cmd: string[]) => run('ip', ['netns', 'exec', ns, ...cmd]);

let c: Collector;

before(() => {
  requireRoot();
  ensureBuilt();
  ip('netns', 'add', HUB);
  ip('-n', HUB, 'link', 'add', 'br0', 'type', 'bridge');
  ip('-n', HUB, 'link', 'set', 'br0', 'up');
  let i = 0;
  for (const h of Object.values(HOSTS)) {
    const peer = `v${i++}`;
    ip('netns', 'add', h.ns);
    ip('-n', h.ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', peer, 'netns', HUB);
    ip('-n', HUB, 'link', 'set', peer, 'master', 'br0', 'up');
    ip('-n', h.ns, 'addr', 'add', `${h.ip}/24`, 'dev', 'eth0');
    ip('-n', h.ns, 'link', 'set', 'eth0', 'up');
    ip('-n', h.ns, 'link', 'set', 'lo', 'up');
  }
});

after(async () => {
  await c?.stop();
  for (const h of Object.values(HOSTS)) {
    try {
      execFileSync('ip', ['netns', 'pids', h.ns], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .forEach((pid) => process.kill(Number(pid), 'SIGKILL'));
    } catch {
      // namespace already gone
    }
  }
  for (const ns of [...Object.values(HOSTS).map((h) => h.ns), HUB]) {
    try {
      ip('netns', 'del', ns);
    } catch {
      // never created
    }
  }
});

const inventory = parseInventory(
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { kind: 'Pod', metadata: { name: 'web-5f7b-x2', namespace: 'shop', labels: { app: 'web', 'pod-template-hash': '5f7b' } }, status: { podIP: HOSTS.web.ip } },
      { kind: 'Pod', metadata: { name: 'client-1', namespace: 'shop', labels: { app: 'client' } }, status: { podIP: HOSTS.client.ip } },
      { kind: 'Pod', metadata: { name: 'dns-1', namespace: 'infra', labels: { app: 'dns' } }, status: { podIP: HOSTS.other.ip } },
    ],
  }),
);

test('drafts from recorded traffic allow every recorded connection and deny unrecorded ones', async () => {
  c = await startCollector(['--no-snapshot', '--kinds=net,exec,fork,exit']);
  const www = `/tmp/th-np-www-${tag}`;
  execFileSync('mkdir', ['-p', www]);
  execFileSync('sh', ['-c', `echo hello > ${www}/index.html`]);
  const srv = await inNs(HOSTS.web.ns, ['busybox', 'httpd', '-p', `${HOSTS.web.ip}:8080`, '-h', www]);
  assert.equal(srv.code, 0, srv.out);
  const get = await inNs(HOSTS.client.ns, ['busybox', 'wget', '-q', '-O', '-', `http://${HOSTS.web.ip}:8080/index.html`]);
  assert.equal(get.code, 0, get.out);
  assert.match(get.out, /hello/);
  // a DNS query over UDP (no answer needed: the send is what egress needs)
  const udp = `const s = require('node:dgram').createSocket('udp4'); s.send('q', 53, '${HOSTS.other.ip}', (e) => { s.close(); process.exit(e ? 1 : 0); });`;
  const dns = await inNs(HOSTS.client.ns, [process.execPath, '-e', udp]);
  assert.equal(dns.code, 0, dns.out);
  await c.settle();
  await c.stop();
  execFileSync('rm', ['-rf', www]);

  const nsId = (ns: string) => `netns:${statSync(`/run/netns/${ns}`).ino}`;
  const all = observedFrom(c, { by: 'netns' });
  const web = all.find((o) => o.key === nsId(HOSTS.web.ns));
  const client = all.find((o) => o.key === nsId(HOSTS.client.ns));
  assert.ok(web && client, `both hosts observed: ${all.map((o) => o.key)}`);

  const policies: NetPolicy[] = [];
  for (const o of [web, client]) {
    const { policy, notes } = draftNetpol(o, inventory);
    assert.deepEqual(notes, [], 'every peer is a known pod');
    // what is exported is what is evaluated
    const back = policyFromText((await render(policy, 'k8s')).text);
    assert.equal(back.type, 'netpol');
    policies.push(back as NetPolicy);
    await render(policy, 'cilium');
  }
  const [webPol, clientPol] = policies as [NetPolicy, NetPolicy];
  assert.equal(webPol.name, 'web-5f7b-x2-network');
  assert.deepEqual(webPol.podSelector, { matchLabels: { app: 'web' } });
  assert.deepEqual(webPol.ingress.map((r) => [r.peers, r.ports]), [[[{ podSelector: { matchLabels: { app: 'client' } } }], [{ protocol: 'TCP', port: 8080 }]]]);
  assert.deepEqual(webPol.egress, []);
  const clientEgress = clientPol.egress.map((r) => [r.peers, r.ports]);
  assert.deepEqual(clientEgress, [
    [[{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'infra' } }, podSelector: { matchLabels: { app: 'dns' } } }], [{ protocol: 'UDP', port: 53 }]],
    [[{ podSelector: { matchLabels: { app: 'web' } } }], [{ protocol: 'TCP', port: 8080 }]],
  ]);

  // every recorded connection is allowed by the drafts together
  assert.deepEqual(auditNetpol(policies, web, inventory), []);
  assert.deepEqual(auditNetpol(policies, client, inventory), []);
  const conn = (src: string, dst: string, port: number, proto: 'TCP' | 'UDP' = 'TCP') => evaluate(policies, inventory, { srcIp: src, dstIp: dst, port, proto }).allowed;
  assert.equal(conn(HOSTS.client.ip, HOSTS.web.ip, 8080), true);
  // and unrecorded ones are not
  assert.equal(conn(HOSTS.other.ip, HOSTS.web.ip, 8080), false, 'dns pod never called web');
  assert.equal(conn(HOSTS.client.ip, HOSTS.web.ip, 9090), false, 'other port');
  assert.equal(conn(HOSTS.client.ip, HOSTS.other.ip, 53, 'TCP'), false, 'DNS over TCP never seen');
  assert.equal(conn(HOSTS.web.ip, HOSTS.client.ip, 8080), false, 'web never connected out');
  assert.equal(conn(HOSTS.client.ip, '192.0.2.1', 443), false, 'outside address');
});

test('a pod that is a runc container: its draft comes from the container\'s own events and annotations', async () => {
  const id = containerId('np');
  const bundle = makeBundle({
    args: ['sh', '-c', `mkdir -p /tmp/w; echo hi > /tmp/w/i; timeout 4 httpd -f -p ${HOSTS.web.ip}:8081 -h /tmp/w; true`],
    netns: `/run/netns/${HOSTS.web.ns}`,
    annotations: { 'io.kubernetes.pod.name': 'web-5f7b-x2', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.container.name': 'httpd' },
  });
  const col = await startCollector(['--no-snapshot', '--kinds=net,exec,fork,exit']);
  try {
    const running = runContainer(bundle, id);
    let got = '';
    for (let i = 0; i < 40 && !got.includes('hi'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      got = (await inNs(HOSTS.client.ns, ['busybox', 'wget', '-q', '-O', '-', `http://${HOSTS.web.ip}:8081/i`])).out;
    }
    assert.match(got, /hi/);
    const r = await running;
    assert.equal(r.code, 0, r.out + r.err);
    await col.settle();
  } finally {
    await col.stop();
    deleteContainer(id);
    removeBundle(bundle);
  }
  const o = observedFrom(col).find((x) => x.key === id);
  assert.ok(o, 'the container was observed');
  assert.equal(o.provenance.pod, 'web-5f7b-x2');
  const { policy, notes } = draftNetpol(o, inventory);
  assert.deepEqual(notes, []);
  assert.equal(policy.namespace, 'shop');
  assert.deepEqual(policy.podSelector, { matchLabels: { app: 'web' } });
  assert.deepEqual(policy.ingress.map((r) => [r.peers, r.ports]), [[[{ podSelector: { matchLabels: { app: 'client' } } }], [{ protocol: 'TCP', port: 8081 }]]]);
  assert.deepEqual(auditNetpol([policy], o, inventory), []);
  const allowed = (src: string, port: number) => evaluate([policy], inventory, { srcIp: src, dstIp: HOSTS.web.ip, port, proto: 'TCP' }).allowed;
  assert.equal(allowed(HOSTS.client.ip, 8081), true);
  assert.equal(allowed(HOSTS.other.ip, 8081), false);
  assert.equal(allowed(HOSTS.client.ip, 8080), false, 'recorded by another process, not this container');
});
