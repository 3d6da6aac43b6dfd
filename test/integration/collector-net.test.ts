// Network events: TCP connect/accept/listen/bind on loopback, UDP sends deduplicated per peer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { type Collector, ensureBuilt, requireRoot, run, startCollector, type Line } from './collector-harness.js';

let c: Collector;

before(async () => {
  requireRoot();
  ensureBuilt();
  c = await startCollector(['--no-snapshot', '--kinds=net,fork,exec,exit']);
});

after(async () => {
  await c?.stop();
});

// A child process does the networking so that its pid tells its lines apart.
const PROG = `
const net = require('node:net');
const dgram = require('node:dgram');
const srv = net.createServer((s) => s.end());
srv.listen(0, '127.0.0.1', () => {
  const port = srv.address().port;
  const cl = net.connect(port, '127.0.0.1', () => {
    cl.on('close', () => {
      srv.close();
      const u = dgram.createSocket('udp4');
      // three sends to one peer and one to another: two lines
      u.send('a', 53, '127.0.0.1', () => u.send('b', 53, '127.0.0.1', () => u.send('c', 53, '127.0.0.1', () =>
        u.send('d', 9999, '127.0.0.1', () => {
          const u6 = dgram.createSocket('udp6');
          u6.send('e', 5353, '::1', () => { u6.close(); u.close(); console.log(port); });
        }))));
    });
  });
});
`;

test('TCP listen, connect and accept on loopback, UDP sends to new peers', async () => {
  const r = await run(process.execPath, ['-e', PROG]);
  assert.equal(r.code, 0, r.out);
  const port = Number(r.out.trim());
  await c.settle();
  const mine = c.lines.filter((l) => l.kind === 'net' && l.pid === r.pid);
  const find = (pred: (l: Line) => boolean, what: string) => {
    const l = mine.find(pred);
    assert.ok(l, `${what}; got ${JSON.stringify(mine, null, 1)}`);
    return l!;
  };
  const bind = find((l) => l.op === 'bind' && l.proto === 'tcp', 'bind');
  assert.equal(bind.sport, port);
  assert.equal(bind.saddr, '127.0.0.1');
  const listen = find((l) => l.op === 'listen', 'listen');
  assert.equal(listen.sport, port);
  assert.equal(listen.family, 4);
  const conn = find((l) => l.op === 'connect' && l.proto === 'tcp', 'connect');
  assert.equal(conn.daddr, '127.0.0.1');
  assert.equal(conn.dport, port);
  assert.ok(conn.ret === 0 || conn.ret === -115, 'connected or in progress');
  const acc = find((l) => l.op === 'accept', 'accept');
  assert.equal(acc.sport, port);
  assert.equal(acc.daddr, '127.0.0.1');
  assert.equal(acc.dport, conn.sport, 'the accepted peer is the connecting socket');
  assert.ok(acc.ret >= 0);
  for (const l of [bind, listen, conn, acc]) assert.ok(l.netns > 0 && l.cgroup > 0);

  const sends = mine.filter((l) => l.op === 'send');
  const dns = sends.filter((l) => l.proto === 'udp' && l.dport === 53 && l.daddr === '127.0.0.1');
  assert.equal(dns.length, 1, 'three DNS sends to one peer: one line');
  assert.equal(sends.filter((l) => l.dport === 9999).length, 1);
  const v6 = sends.find((l) => l.family === 6);
  assert.equal(v6?.daddr, '::1');
  assert.equal(v6?.dport, 5353);
});
