/**
 * Detection on the real kernel: a small network service is attacked the way the bundled sample
 * story goes (shell from the service, credential read, dropped binary, netcat calling out), the
 * real collector records it, and the detector must flag each step — and nothing in a quiet run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server } from 'node:net';
import { rmSync } from 'node:fs';
import { Detector } from '../../electron/core/detect';
import type { CollectorEvent } from '../../shared/events';
import { requireRoot, startCollector, type Collector } from './collector-harness';

let service: ChildProcess;
let sink: Server;
let sinkPort = 0;
let servicePort = 0;
const dropped = `/tmp/th-dropped-${process.pid}`;

const SERVICE = `
const net = require('net'), { spawn } = require('child_process');
const srv = net.createServer((c) => {
  const sh = spawn('/bin/sh', ['-c', process.env.STORY], { stdio: 'ignore' });
  sh.on('exit', (code) => { c.end(String(code)); });
});
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
`;

before(async () => {
  requireRoot();
  sink = createServer((s) => s.end());
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
  sinkPort = (sink.address() as { port: number }).port;
  const story = [
    'cat /etc/shadow > /dev/null',
    `cp /bin/true ${dropped}`,
    dropped,
    `/bin/busybox nc -w 1 127.0.0.1 ${sinkPort} < /dev/null`,
    'true',
  ].join('; ');
  service = spawn(process.execPath, ['-e', SERVICE], { env: { ...process.env, STORY: story }, stdio: ['ignore', 'pipe', 'inherit'] });
  servicePort = await new Promise<number>((resolve) => service.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
});

after(() => {
  service?.kill('SIGKILL');
  sink?.close();
  rmSync(dropped, { force: true });
});

function feed(c: Collector): Detector {
  const d = new Detector();
  c.raw.forEach((line, i) => d.observe(JSON.parse(line) as CollectorEvent, i + 1));
  return d;
}

test('the intrusion story raises each alert with its evidence', async () => {
  const c: Collector = await startCollector(['--pid', String(service.pid)]);
  try {
    await c.settle();
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(servicePort, '127.0.0.1');
      let data = '';
      s.on('data', (d) => (data += d));
      s.on('end', () => resolve(data));
      s.on('error', reject);
    });
    assert.equal(reply, '0', 'the story ran to the end');
    await c.settle();
  } finally {
    await c.stop();
  }
  const alerts = feed(c).alerts();
  const byRule = new Map(alerts.map((a) => [a.rule, a]));
  const shell = byRule.get('shell-from-service');
  assert.ok(shell, `shell-from-service missing; got ${[...byRule.keys()].join(', ')}`);
  assert.match(shell.message, /^sh started by node \(pid \d+\)/);
  assert.match(byRule.get('sensitive-file-read')?.message ?? '', /opened \/etc\/shadow/);
  assert.match(byRule.get('exec-from-writable')?.message ?? '', new RegExp(`${dropped} executed`));
  assert.match(byRule.get('shell-outbound')?.message ?? '', new RegExp(`nc connecting to 127\\.0\\.0\\.1:${sinkPort}`));
  for (const a of alerts) {
    assert.ok(a.evidence.length >= 1);
    const line = JSON.parse(c.raw[a.evidence[0]! - 1]!) as CollectorEvent;
    assert.equal(line.pid, a.pid, `evidence of ${a.rule} points at the process`);
  }
  // Every alert belongs to the service's subtree.
  const pids = new Set(c.lines.filter((l) => l.kind === 'fork' || l.kind === 'exec').map((l) => l.pid as number));
  pids.add(service.pid!);
  for (const a of alerts) assert.ok(pids.has(a.pid), `${a.rule} on pid ${a.pid}`);
});

test('a quiet service raises nothing', async () => {
  const c = await startCollector(['--pid', String(service.pid)]);
  try {
    await c.settle();
    await new Promise((r) => setTimeout(r, 300));
    await c.settle();
  } finally {
    await c.stop();
  }
  assert.deepEqual(feed(c).alerts(), []);
});
