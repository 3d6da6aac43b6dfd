// Live sessions end to end on this machine: real sshd, real collector on the real kernel, real
// SQLite. A known workload must reach the database; stop and a cut connection must leave no
// collector process, no BPF program and (on stop) no temp directory behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openSshTransport, type ConfigSource } from '../../electron/core/ssh';
import { SessionManager } from '../../electron/core/sessions/manager';
import { findCollector } from '../../electron/core/sessions/collector-artifact';
import { storeSink } from '../../electron/core/sessions/store-sink';
import type { Session } from '../../electron/core/sessions/session';
import { openStore, type Store } from '../../electron/core/store/store';
import type { SessionStateName } from '../../shared/api/sessions';
import { ensureUser, hostEntry, makeLab, removeUser, requireRoot, startNode, type Sshd, type Lab } from './ssh-harness';
import { BIN, ensureBuilt } from './collector-harness';

const SUDO_USER = 'thsesstest';
const SUDOERS = '/etc/sudoers.d/tracehound-session-test';
let src: ConfigSource;
let lab: Lab;
let node: Sshd;
let store: Store;
let manager: SessionManager;
const states: Array<{ session: string; state: SessionStateName }> = [];
const uploads = new Map<string, Array<[number, number]>>();

before(async () => {
  requireRoot();
  ensureBuilt();
  lab = makeLab();
  node = await startNode(lab);
  writeFileSync(lab.knownHosts, `[127.0.0.1]:${node.port} ${node.hostPublicKey}\n`);
  ensureUser(SUDO_USER);
  node.authorize(SUDO_USER, lab.userPub);
  writeFileSync(SUDOERS, `${SUDO_USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  writeFileSync(
    lab.configPath,
    hostEntry('node', node, lab) +
      hostEntry('node-sudo', node, lab, { user: SUDO_USER }) +
      hostEntry('stranger', node, lab, { knownHosts: join(lab.dir, 'empty_known_hosts') }),
  );
  src = { configPath: lab.configPath, home: lab.home, localUser: 'responder' };
  store = openStore(join(lab.dir, 'investigation.db'));
  manager = new SessionManager({
    openTransport: (t, p, s) => openSshTransport(t, p, s, { config: src, keepaliveMs: 1000 }),
    collectorFor: (arch) => findCollector(join(BIN, '..'), arch),
    sink: (meta) => storeSink(meta, { store, captureDir: lab.dir }),
    logDir: lab.dir,
    emitState: (p) => states.push({ session: p.session, state: p.state }),
    emitPrompt: () => assert.fail('no prompt expected: the host is known and the key is not encrypted'),
    emitUpload: (session, _node, done, total) => uploads.set(session, [...(uploads.get(session) ?? []), [done, total]]),
  });
});

after(async () => {
  await manager?.dispose();
  store?.close();
  await node?.stop();
  rmSync(SUDOERS, { force: true });
  removeUser(SUDO_USER);
  lab?.cleanup();
});

async function until<T>(what: string, f: () => T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Ids of the BPF programs a process holds (fdinfo of its prog fds; this bpftool has no pid column). */
function bpfProgIdsOf(pid: number): number[] {
  const ids: number[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      const m = /^prog_id:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (m) ids.push(Number(m[1]));
    } catch {
      // fd closed meanwhile
    }
  }
  return ids;
}

/** Programs among `ids` still loaded in the kernel. */
function stillLoaded(ids: number[]): number[] {
  const out = execFileSync('bpftool', ['-j', 'prog', 'show'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const loaded = new Set((JSON.parse(out) as Array<{ id: number }>).map((p) => p.id));
  return ids.filter((id) => loaded.has(id));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function running(s: Session): Promise<number> {
  await manager.started(s.id);
  assert.equal(s.info().state, 'running', `session: ${s.info().message}\n${s.info().log.join('\n')}`);
  return until('hello from the collector', () => s.collectorPidOnNode);
}

/** A workload with a unique argv the exec probe must see. */
function workload(): string {
  const marker = `th-marker-${randomUUID().slice(0, 8)}`;
  for (let i = 0; i < 3; i++) spawnSync('/bin/sh', ['-c', 'exit 0', marker]);
  return marker;
}

const execsWith = (marker: string): number =>
  (store.db.prepare("SELECT count(*) AS n FROM events WHERE kind = 'exec' AND data LIKE ?").get(`%${marker}%`) as { n: number }).n;

test('a live capture over SSH reaches SQLite and the capture file; stop leaves nothing behind', async () => {
  const s = manager.start({ target: 'node', kinds: 'exec,exit,fork' });
  const pid = await running(s);
  const dir = s.deploymentDir!;
  assert.ok(existsSync(`${dir}/tracehound-collector`));
  assert.equal(execFileSync('stat', ['-c', '%a', dir], { encoding: 'utf8' }).trim(), '700');
  const progs = bpfProgIdsOf(pid);
  assert.ok(stillLoaded(progs).length > 0, 'the collector has BPF programs loaded while running');
  const marker = workload();
  await until('the workload in SQLite', () => execsWith(marker) >= 3);

  const info = await manager.stop(s.id);
  assert.equal(info?.state, 'ended', info?.message ?? '');
  assert.ok(info!.events > 0);
  assert.ok(!alive(pid), 'collector process is gone');
  assert.deepEqual(stillLoaded(progs), [], 'no BPF program left');
  assert.ok(!existsSync(dir), 'the temp directory is removed on stop');
  const capture = gunzipSync(readFileSync(info!.capturePath!)).toString('utf8');
  assert.match(capture.split('\n')[0]!, /"tracehound_capture":1/);
  assert.ok(capture.includes(marker), 'the capture file holds the workload');
  assert.ok(capture.includes('"kind":"bye"'), 'the collector said bye: it stopped cleanly');
  const sent = uploads.get(s.id) ?? [];
  assert.ok(sent.length > 0, 'upload progress reported');
  assert.deepEqual(sent.at(-1), [statSync(BIN).size, statSync(BIN).size], 'the whole binary was sent');
  const seen = states.filter((x) => x.session === s.id).map((x) => x.state);
  for (const st of ['connecting', 'uploading', 'running', 'stopping', 'ended'] as const) assert.ok(seen.includes(st), `pushed ${st}`);
});

test('a cut connection marks the session interrupted, keeps the data, leaves no collector; reconnect is a new segment', async () => {
  const s = manager.start({ target: 'node', kinds: 'exec,exit' });
  const pid = await running(s);
  const progs = bpfProgIdsOf(pid);
  assert.ok(progs.length > 0);
  const marker = workload();
  await until('the workload in SQLite', () => execsWith(marker) >= 3);
  const before = execsWith(marker);

  for (const p of node.sessionPids()) process.kill(p, 'SIGKILL');
  await until('interrupted', () => s.info().state === 'interrupted', 20_000);
  assert.match(s.info().message ?? '', /lost/);
  assert.equal(execsWith(marker), before, 'everything received is kept');
  const cap = store.db.prepare('SELECT state FROM captures WHERE path = ?').get(s.info().capturePath) as { state: string };
  assert.equal(cap.state, 'truncated');
  await until('collector exit after the cut', () => !alive(pid), 10_000);
  assert.deepEqual(stillLoaded(progs), [], 'no BPF program left after the cut');

  const again = manager.reconnect(s.id)!;
  const pid2 = await running(again);
  assert.notEqual(pid2, pid);
  assert.equal(again.info().investigation, s.info().investigation);
  assert.equal(again.info().segment, 2);
  assert.ok(again.info().log.some((l) => l.includes('reusing')), 'the binary left by the cut session is reused');
  const marker2 = workload();
  await until('the second segment in SQLite', () => execsWith(marker2) >= 3);
  const info = await manager.stop(again.id);
  assert.equal(info?.state, 'ended');
  assert.ok(!alive(pid2));
});

test('through sudo: uploaded as the login user, run as root, cleaned up by the login user', async () => {
  const s = manager.start({ target: 'node-sudo', kinds: 'exec' });
  const pid = await running(s);
  assert.equal(s.info().privilege, 'sudo');
  const dir = s.deploymentDir!;
  assert.equal(execFileSync('stat', ['-c', '%U %a', dir], { encoding: 'utf8' }).trim(), `${SUDO_USER} 700`);
  assert.equal(execFileSync('stat', ['-c', '%u', `/proc/${pid}`], { encoding: 'utf8' }).trim(), '0', 'the collector runs as root');
  const info = await manager.stop(s.id);
  assert.equal(info?.state, 'ended', info?.message ?? '');
  assert.ok(!alive(pid));
  assert.ok(!existsSync(dir));
});

test('stop while a host-key question is open cancels it and ends the session', async () => {
  const asked: string[] = [];
  const m = new SessionManager({
    openTransport: (t, p, sig) => openSshTransport(t, p, sig, { config: src }),
    collectorFor: (arch) => findCollector(join(BIN, '..'), arch),
    sink: (meta) => storeSink(meta, { store, captureDir: null }),
    logDir: null,
    emitState: () => undefined,
    emitPrompt: (p) => asked.push(p.prompt),
  });
  const s = m.start({ target: 'stranger' });
  await until('the host-key prompt', () => asked.length > 0);
  assert.equal(m.prompts.list()[0]?.kind, 'hostKey');
  const info = await m.stop(s.id);
  assert.notEqual(info?.state, 'running');
  assert.ok(info?.endedAt);
  assert.deepEqual(m.prompts.list(), []);
  assert.equal(m.answer(asked[0]!, { trust: 'once' }), false, 'a cancelled prompt cannot be answered');
});

test('no collector for the node: the session fails before uploading, saying what to build', async () => {
  const m = new SessionManager({
    openTransport: (t, p, sig) => openSshTransport(t, p, sig, { config: src }),
    collectorFor: (arch) => findCollector(lab.dir, arch),
    sink: (meta) => storeSink(meta, { store, captureDir: null }),
    logDir: null,
    emitState: () => undefined,
    emitPrompt: () => assert.fail('no prompt expected'),
  });
  const s = m.start({ target: 'node' });
  await s.finished;
  const i = s.info();
  assert.equal(i.state, 'failed');
  assert.match(i.message ?? '', /no collector built for x86_64.*make -C agent-bpf/);
  assert.ok(i.preflight.some((c) => c.name === 'btf' && c.ok), 'preflight still ran and is shown');
});

test('two sessions at once share the uploaded binary; the directory goes with the last one', async () => {
  const a = manager.start({ target: 'node', kinds: 'exec' });
  const pidA = await running(a);
  const b = manager.start({ target: 'node', kinds: 'exec' });
  const pidB = await running(b);
  assert.notEqual(pidA, pidB);
  assert.equal(a.deploymentDir, b.deploymentDir);
  assert.ok(b.info().log.some((l) => l.includes('reusing')));
  assert.equal(manager.list().filter((i) => i.state === 'running').length, 2);
  await manager.stop(a.id);
  assert.ok(!alive(pidA));
  assert.ok(alive(pidB), 'stopping one session leaves the other running');
  assert.ok(existsSync(b.deploymentDir!), 'the binary stays while another collector runs from it');
  await manager.stop(b.id);
  assert.ok(!alive(pidB));
  assert.ok(!existsSync(b.deploymentDir!));
});
