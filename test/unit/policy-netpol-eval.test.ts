// NetworkPolicy semantics, checked against a truth table of pods × policies × connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, parseInventory, type Inventory } from '../../electron/core/policy';
import type { NetPolicy, NetRule } from '../../shared/policy';

const pods = {
  kind: 'List',
  items: [
    { kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'shop' } } },
    { kind: 'Namespace', metadata: { name: 'ops', labels: { team: 'ops' } } },
    pod('web-1', 'shop', { app: 'web', tier: 'front' }, '10.0.0.1', [{ name: 'http', containerPort: 8080 }]),
    pod('db-1', 'shop', { app: 'db' }, '10.0.0.2', [{ containerPort: 5432 }]),
    pod('cache-1', 'shop', { app: 'cache', tier: 'back' }, '10.0.0.3', []),
    pod('mon-1', 'ops', { app: 'mon' }, '10.0.1.1', []),
    pod('web-ops', 'ops', { app: 'web' }, '10.0.1.2', [{ name: 'http', containerPort: 9090 }]),
  ],
};

function pod(name: string, ns: string, labels: Record<string, string>, ip: string, ports: Array<{ name?: string; containerPort: number }>) {
  return { kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'c', ports }] }, status: { podIP: ip } };
}

const inv: Inventory = parseInventory(JSON.stringify(pods));
const rule = (peers: NetRule['peers'], ports: NetRule['ports'] = []): NetRule => ({ peers, ports, evidence: [] });
const np = (name: string, ns: string, sel: NetPolicy['podSelector'], types: NetPolicy['policyTypes'], ingress: NetRule[], egress: NetRule[] = []): NetPolicy => ({
  type: 'netpol',
  name,
  namespace: ns,
  podSelector: sel,
  policyTypes: types,
  ingress,
  egress,
});

const P = {
  none: [] as NetPolicy[],
  dbFromWeb: [np('db', 'shop', { matchLabels: { app: 'db' } }, [], [rule([{ podSelector: { matchLabels: { app: 'web' } } }], [{ protocol: 'TCP', port: 5432 }])])],
  webEgress: [
    np('web-out', 'shop', { matchLabels: { app: 'web' } }, ['Egress'], [], [
      rule([{ podSelector: { matchLabels: { app: 'db' } } }], [{ protocol: 'TCP', port: 5432 }]),
      rule([{ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.128/25'] } }], [{ protocol: 'TCP', port: 443 }]),
      rule([], [{ protocol: 'UDP', port: 53 }]),
    ]),
  ],
  denyShop: [np('deny', 'shop', {}, ['Ingress'], [])],
  opsToHttp: [
    np('deny', 'shop', {}, ['Ingress'], []),
    np('ops-http', 'shop', {}, ['Ingress'], [rule([{ namespaceSelector: { matchLabels: { team: 'ops' } } }], [{ protocol: 'TCP', port: 'http' }])]),
  ],
  andPeer: [np('and', 'shop', { matchLabels: { app: 'cache' } }, ['Ingress'], [rule([{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'mon' } } }])])],
  orPeers: [np('or', 'shop', { matchLabels: { app: 'cache' } }, ['Ingress'], [rule([{ namespaceSelector: { matchLabels: { team: 'ops' } } }, { podSelector: { matchLabels: { app: 'web' } } }])])],
  exprs: [
    np('expr', 'shop', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, ['Ingress'], [
      rule([{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'app', operator: 'NotIn', values: ['db'] }] } }], [{ protocol: 'TCP', port: 6000, endPort: 6010 }]),
    ]),
  ],
  otherNsOnly: [np('ops-deny', 'ops', {}, ['Ingress', 'Egress'], [], [])],
};

const WEB = '10.0.0.1', DB = '10.0.0.2', CACHE = '10.0.0.3', MON = '10.0.1.1', WEBOPS = '10.0.1.2';
type Row = [keyof typeof P, string, string, number, 'TCP' | 'UDP', boolean];
const rows: Row[] = [
  ['none', WEB, DB, 5432, 'TCP', true],
  ['none', '192.0.2.9', WEB, 80, 'TCP', true],
  ['dbFromWeb', WEB, DB, 5432, 'TCP', true],
  ['dbFromWeb', WEB, DB, 5433, 'TCP', false],
  ['dbFromWeb', WEB, DB, 5432, 'UDP', false],
  ['dbFromWeb', CACHE, DB, 5432, 'TCP', false],
  ['dbFromWeb', WEBOPS, DB, 5432, 'TCP', false], // podSelector alone = same namespace only
  ['dbFromWeb', DB, WEB, 80, 'TCP', true], // web not selected: not isolated
  ['dbFromWeb', DB, DB, 9999, 'TCP', true], // a pod cannot block itself
  ['webEgress', WEB, DB, 5432, 'TCP', true],
  ['webEgress', WEB, CACHE, 5432, 'TCP', false],
  ['webEgress', WEB, '192.0.2.10', 443, 'TCP', true],
  ['webEgress', WEB, '192.0.2.200', 443, 'TCP', false], // except
  ['webEgress', WEB, '192.0.2.10', 80, 'TCP', false],
  ['webEgress', WEB, '8.8.8.8', 53, 'UDP', true], // empty peers = everywhere
  ['webEgress', WEB, '8.8.8.8', 53, 'TCP', false],
  ['webEgress', CACHE, '8.8.8.8', 443, 'TCP', true], // egress of cache not isolated
  ['webEgress', DB, WEB, 8080, 'TCP', true], // ingress of web not isolated (Egress only)
  ['denyShop', MON, WEB, 8080, 'TCP', false],
  ['denyShop', WEB, DB, 5432, 'TCP', false],
  ['denyShop', WEB, MON, 80, 'TCP', true],
  ['denyShop', '192.0.2.9', CACHE, 80, 'TCP', false],
  ['opsToHttp', MON, WEB, 8080, 'TCP', true], // named port http = 8080 on web
  ['opsToHttp', MON, WEB, 9090, 'TCP', false],
  ['opsToHttp', MON, DB, 5432, 'TCP', false], // db has no port named http
  ['opsToHttp', WEB, WEB, 8080, 'TCP', true],
  ['opsToHttp', DB, WEB, 8080, 'TCP', false], // shop is not team=ops
  ['opsToHttp', WEBOPS, WEB, 8080, 'TCP', true],
  ['andPeer', MON, CACHE, 1, 'TCP', true],
  ['andPeer', WEBOPS, CACHE, 1, 'TCP', false],
  ['andPeer', WEB, CACHE, 1, 'TCP', false],
  ['orPeers', WEBOPS, CACHE, 1, 'TCP', true],
  ['orPeers', WEB, CACHE, 1, 'TCP', true],
  ['orPeers', DB, CACHE, 1, 'TCP', false],
  ['exprs', WEB, CACHE, 6005, 'TCP', true],
  ['exprs', WEB, CACHE, 6011, 'TCP', false],
  ['exprs', DB, CACHE, 6005, 'TCP', false], // db has no tier label
  ['exprs', CACHE, CACHE, 6011, 'TCP', true],
  ['exprs', MON, DB, 6005, 'TCP', true], // db not tier=back: not selected
  ['otherNsOnly', WEB, DB, 5432, 'TCP', true],
  ['otherNsOnly', WEB, MON, 80, 'TCP', false],
  ['otherNsOnly', MON, WEB, 80, 'TCP', false],
  ['otherNsOnly', '192.0.2.9', '10.9.9.9', 80, 'TCP', true], // neither end is a pod
];

test('NetworkPolicy evaluator follows the truth table', () => {
  const wrong: string[] = [];
  for (const [set, src, dst, port, proto, expect] of rows) {
    const v = evaluate(P[set], inv, { srcIp: src, dstIp: dst, port, proto });
    if (v.allowed !== expect) wrong.push(`${set}: ${src} -> ${dst}:${port}/${proto} expected ${expect ? 'allow' : 'deny'} (${JSON.stringify(v)})`);
  }
  assert.deepEqual(wrong, []);
});

test('the verdict says which rule allowed it and which side denied', () => {
  const ok = evaluate(P.webEgress, inv, { srcIp: WEB, dstIp: '192.0.2.10', port: 443, proto: 'TCP' });
  assert.equal(ok.egress.by, 'shop/web-out egress rule 1');
  const no = evaluate(P.dbFromWeb, inv, { srcIp: CACHE, dstIp: DB, port: 5432, proto: 'TCP' });
  assert.equal(no.egress.allowed, true);
  assert.equal(no.ingress.allowed, false);
  assert.equal(no.ingress.isolated, true);
});

test('IPv6 ipBlocks', () => {
  const v6 = [np('v6', 'shop', { matchLabels: { app: 'web' } }, ['Egress'], [], [rule([{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:ffff::/48'] } }])])];
  const at = (ip: string) => evaluate(v6, inv, { srcIp: WEB, dstIp: ip, port: 1, proto: 'TCP' }).allowed;
  assert.equal(at('2001:db8::1'), true);
  assert.equal(at('2001:db8:1:2:3:4:5:6'), true);
  assert.equal(at('2001:db8:ffff::9'), false);
  assert.equal(at('2001:db9::1'), false);
  assert.equal(at('192.0.2.1'), false);
});
