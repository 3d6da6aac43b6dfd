// The sessions API through the real core: hosts from the ssh config, a host-key question pushed
// and answered, state pushed, the capture in the investigation database, stop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Core } from '../../electron/core/core';
import type { PushEvents, PushName } from '../../shared/api';
import type { NodeHostEntry, SessionInfo, SessionPrompt } from '../../shared/api/sessions';
import { hostEntry, makeLab, requireRoot, startNode, type Sshd, type Lab } from './ssh-harness';
import { BIN, ensureBuilt } from './collector-harness';

let lab: Lab;
let node: Sshd;
let core: Core;
const pushes: Array<{ name: PushName; payload: PushEvents[PushName] }> = [];
const saved = { home: process.env.HOME, dir: process.env.TRACEHOUND_COLLECTOR_DIR, agent: process.env.SSH_AUTH_SOCK };

before(async () => {
  requireRoot();
  ensureBuilt();
  lab = makeLab();
  node = await startNode(lab);
  writeFileSync(lab.configPath, hostEntry('lab-node', node, lab, { knownHosts: null }));
  process.env.HOME = lab.home;
  process.env.TRACEHOUND_COLLECTOR_DIR = dirname(BIN);
  delete process.env.SSH_AUTH_SOCK;
  core = new Core({ version: 'test', transport: 'browser', databasePath: join(lab.dir, 'api.sqlite') });
  core.bus.subscribe((name, payload) => pushes.push({ name, payload }));
});

after(async () => {
  await core?.dispose();
  await node?.stop();
  process.env.HOME = saved.home;
  if (saved.dir === undefined) delete process.env.TRACEHOUND_COLLECTOR_DIR;
  else process.env.TRACEHOUND_COLLECTOR_DIR = saved.dir;
  if (saved.agent !== undefined) process.env.SSH_AUTH_SOCK = saved.agent;
  lab?.cleanup();
});

async function call<T>(method: string, args: unknown): Promise<T> {
  const r = await core.call(method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

async function until<T>(what: string, f: () => T | undefined | null | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('arguments are validated at the boundary', async () => {
  const r = await core.call('startSession', { target: 'lab-node', kinds: 'exec; rm -rf /' });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error.code, 'bad_request');
  const s = await core.call('stopSession', { session: 'no-such-session' });
  assert.equal(!s.ok && s.error.code, 'not_found');
});

test('connect, trust the host key once, capture into the database, stop', async () => {
  const hosts = await call<NodeHostEntry[]>('nodeHosts', {});
  assert.deepEqual(hosts.map((h) => [h.alias, h.port]), [['lab-node', node.port]]);

  const { session } = await call<{ session: string }>('startSession', { target: 'lab-node', kinds: 'exec,exit' });
  const prompt = await until('a host-key prompt', () => pushes.find((p) => p.name === 'sessionPrompt')?.payload as SessionPrompt | undefined);
  assert.equal(prompt.kind, 'hostKey');
  assert.equal(prompt.session, session);
  assert.deepEqual((await call<SessionPrompt[]>('pendingPrompts', {})).map((p) => p.prompt), [prompt.prompt]);
  assert.deepEqual(await call('answerPrompt', { prompt: prompt.prompt, trust: 'once' }), { answered: true });

  await until('running', () => pushes.some((p) => p.name === 'sessionState' && (p.payload as PushEvents['sessionState']).state === 'running'));
  const listed = await call<SessionInfo[]>('listSessions', {});
  assert.equal(listed[0]?.session, session);
  assert.equal(listed[0]?.privilege, 'root');
  assert.ok(listed[0]!.preflight.every((c) => c.ok || !c.fatal));
  await new Promise((r) => setTimeout(r, 1500));
  const stopped = await call<SessionInfo>('stopSession', { session });
  assert.equal(stopped.state, 'ended', stopped.message ?? '');
  assert.ok(stopped.events > 0);
  const overview = await call<{ events: number }>('overview', {});
  assert.ok(overview.events > 0, 'the capture is in the investigation database');
  assert.ok(pushes.some((p) => p.name === 'progress'), 'upload progress was pushed');
});
