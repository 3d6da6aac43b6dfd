// SSH transport against real sshd servers: ssh config with Include and ProxyJump, host-key TOFU
// and changed keys, wrong and encrypted keys, root and sudo (NOPASSWD and password).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSshTransport, SshError, PrivilegeError, listHosts, type ConfigSource } from '../../electron/core/ssh';
import type { NodeTransport, PromptAnswer, PromptRequest } from '../../electron/core/sessions/transport';
import { checkHostKey, fingerprint } from '../../electron/core/ssh/known-hosts';
import { ensureUser, keygen, makeLab, removeUser, requireRoot, setPassword, Sshd, type Lab } from './ssh-harness';

const SUDO_USER = 'thsshtest';
const SUDOERS = '/etc/sudoers.d/tracehound-ssh-test';

let lab: Lab;
let jump: Sshd;
let node: Sshd;
let src: ConfigSource;

/** Records every prompt and answers from a script of answers, in order. */
function scripted(...answers: PromptAnswer[]) {
  const asked: PromptRequest[] = [];
  const prompter = async (r: PromptRequest): Promise<PromptAnswer> => {
    asked.push(r);
    return answers.shift() ?? { cancel: true };
  };
  return { asked, prompter };
}

const open = (target: string, p: (r: PromptRequest) => Promise<PromptAnswer>, config = src) =>
  openSshTransport(target, p, new AbortController().signal, { config, readyTimeoutMs: 10_000 });

/** Writes the ssh config (with an Included file) into `configPath`, trusting `knownHosts`. */
function writeConfig(configPath: string, knownHosts: string): ConfigSource {
  const common = (port: number) => `  HostName 127.0.0.1\n  Port ${port}\n  IdentityFile ${lab.userKey}\n  UserKnownHostsFile ${knownHosts}\n`;
  mkdirSync(join(lab.home, '.ssh', 'conf.d'), { recursive: true });
  writeFileSync(join(lab.home, '.ssh', 'conf.d', 'direct.conf'), `Host direct\n${common(node.port)}  User root\n`);
  writeFileSync(
    configPath,
    `Include conf.d/*.conf\n\nHost jump\n${common(jump.port)}  User root\n\nHost node-*\n${common(node.port)}  ProxyJump jump\n\nHost node-root\n  User root\n\nHost node-sudo\n  User ${SUDO_USER}\n`,
  );
  return { configPath, home: lab.home, localUser: 'responder' };
}

before(async () => {
  requireRoot();
  lab = makeLab();
  jump = new Sshd(lab.dir, 'jump');
  node = new Sshd(lab.dir, 'node');
  await Promise.all([jump.start(), node.start()]);
  for (const s of [jump, node]) s.authorize('root', lab.userPub);
  ensureUser(SUDO_USER);
  node.authorize(SUDO_USER, lab.userPub);
  // The responder already trusts both servers; the TOFU tests use a known_hosts of their own.
  writeFileSync(lab.knownHosts, `[127.0.0.1]:${jump.port} ${jump.hostPublicKey}\n[127.0.0.1]:${node.port} ${node.hostPublicKey}\n`);
  src = writeConfig(lab.configPath, lab.knownHosts);
});

after(async () => {
  await Promise.all([jump?.stop(), node?.stop()]);
  rmSync(SUDOERS, { force: true });
  removeUser(SUDO_USER);
  lab?.cleanup();
});

test('ssh config: Include, wildcards and ProxyJump resolve; hosts are listed', () => {
  const hosts = listHosts(src);
  const byAlias = new Map(hosts.map((h) => [h.alias, h]));
  assert.equal(byAlias.get('direct')?.port, node.port, 'host from an Included file');
  assert.equal(byAlias.get('node-root')?.proxyJump, 'jump', 'ProxyJump from a wildcard block');
  assert.equal(byAlias.get('node-sudo')?.user, SUDO_USER);
  assert.ok(!byAlias.has('node-*'), 'wildcard patterns are not offered as hosts');
});

test('unknown host key: trust always records it (hashed), next connection asks nothing', async () => {
  const kh = join(lab.dir, 'tofu_known_hosts');
  const tofu = writeConfig(join(lab.dir, 'tofu.config'), kh);
  const first = scripted({ trust: 'always' }, { trust: 'always' });
  const t = await open('node-root', first.prompter, tofu);
  assert.equal(t.privilege, 'root');
  const r = await t.run('echo hi-from-node');
  assert.equal(r.stdout.trim(), 'hi-from-node');
  await t.close();
  const hostKeyPrompts = first.asked.filter((a) => a.kind === 'hostKey');
  assert.equal(hostKeyPrompts.length, 2, 'one prompt for the jump host and one for the node');
  const nodeBlob = Buffer.from(node.hostPublicKey.split(' ')[1]!, 'base64');
  const keygenFp = execFileSync('ssh-keygen', ['-E', 'sha256', '-lf', `${node.hostKey}.pub`], { encoding: 'utf8' }).split(' ')[1];
  assert.equal(fingerprint(nodeBlob), keygenFp, 'the fingerprint shown is the one ssh-keygen prints on the node');
  assert.ok(hostKeyPrompts.some((p) => p.kind === 'hostKey' && p.fingerprint === keygenFp));
  assert.match(hostKeyPrompts[0]!.kind === 'hostKey' ? hostKeyPrompts[0]!.fingerprint : '', /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.ok(!readFileSync(kh, 'utf8').includes('127.0.0.1'), 'host names are hashed');
  assert.equal(checkHostKey([kh], '127.0.0.1', node.port, nodeBlob).status, 'known');

  const second = scripted();
  const t2 = await open('node-root', second.prompter, tofu);
  await t2.close();
  assert.equal(second.asked.length, 0);
});

test('trust once connects without recording; reject refuses', async () => {
  const other = makeLab();
  try {
    const cfg = `Host once\n  HostName 127.0.0.1\n  Port ${node.port}\n  User root\n  IdentityFile ${lab.userKey}\n  UserKnownHostsFile ${other.knownHosts}\n`;
    writeFileSync(other.configPath, cfg);
    const osrc = { configPath: other.configPath, home: other.home, localUser: 'responder' };
    const once = scripted({ trust: 'once' });
    const t = await open('once', once.prompter, osrc);
    await t.close();
    assert.equal(once.asked.length, 1);
    assert.equal(readFileSync(other.knownHosts, 'utf8'), '');
    const rej = scripted({ trust: 'reject' });
    await assert.rejects(open('once', rej.prompter, osrc), (e: unknown) => e instanceof SshError && e.reason === 'hostkey-rejected');
  } finally {
    other.cleanup();
  }
});

test('changed host key is refused without asking, with a clear warning', async () => {
  const sshd = new Sshd(lab.dir, 'impostor');
  sshd.authorize('root', lab.userPub);
  const port = node.port;
  await node.stop();
  await sshd.start(port);
  try {
    const p = scripted({ trust: 'always' });
    await assert.rejects(open('direct', p.prompter), (e: unknown) => {
      assert.ok(e instanceof SshError && e.reason === 'hostkey-changed', String(e));
      assert.match((e as Error).message, /CHANGED HOST KEY.*SHA256:/s);
      assert.match((e as Error).message, /ssh-keygen -R/);
      return true;
    });
    assert.equal(p.asked.length, 0, 'a changed key is never offered for trust');
  } finally {
    await sshd.stop();
    await node.start(port);
  }
});

test('a key the node does not accept is refused with the keys tried', async () => {
  const stranger = join(lab.dir, 'stranger');
  keygen(stranger);
  const cfg = `Host wrongkey\n  HostName 127.0.0.1\n  Port ${node.port}\n  User root\n  IdentityFile ${stranger}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${lab.knownHosts}\n`;
  const other = join(lab.dir, 'wrongkey.config');
  writeFileSync(other, cfg);
  await assert.rejects(open('wrongkey', scripted().prompter, { ...src, configPath: other }), (e: unknown) => {
    assert.ok(e instanceof SshError && e.reason === 'auth', String(e));
    assert.match((e as Error).message, /refused every key offered.*stranger/);
    return true;
  });
});

test('an encrypted key asks for its passphrase; a wrong one is asked again', async () => {
  const enc = join(lab.dir, 'encrypted');
  const pub = keygen(enc, 'ed25519', 'correct horse');
  node.authorize('root', pub);
  const cfg = `Host enc\n  HostName 127.0.0.1\n  Port ${node.port}\n  User root\n  IdentityFile ${enc}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${lab.knownHosts}\n`;
  const other = join(lab.dir, 'enc.config');
  writeFileSync(other, cfg);
  const p = scripted({ secret: 'wrong' }, { secret: 'correct horse' });
  const t = await open('enc', p.prompter, { ...src, configPath: other });
  await t.close();
  assert.deepEqual(
    p.asked.map((a) => (a.kind === 'passphrase' ? a.retry : null)),
    [false, true],
  );
});

async function rootId(t: NodeTransport): Promise<string> {
  return (await t.runAsRoot('id -u')).stdout.trim();
}

test('sudo NOPASSWD: commands run as root', async () => {
  writeFileSync(SUDOERS, `${SUDO_USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  const t = await open('node-sudo', scripted().prompter);
  try {
    assert.equal(t.privilege, 'sudo');
    assert.notEqual((await t.run('id -u')).stdout.trim(), '0');
    assert.equal(await rootId(t), '0');
  } finally {
    await t.close();
  }
});

test('sudo with a password: asked through the prompt, retried, never leaks into stdin', async () => {
  writeFileSync(SUDOERS, `${SUDO_USER} ALL=(ALL) ALL\n`, { mode: 0o440 });
  setPassword(SUDO_USER, 's3cret-pw');
  const p = scripted({ secret: 'nope' }, { secret: 's3cret-pw' });
  const t = await open('node-sudo', p.prompter);
  try {
    assert.deepEqual(
      p.asked.map((a) => a.kind + (a.kind === 'sudoPassword' && a.retry ? ':retry' : '')),
      ['sudoPassword', 'sudoPassword:retry'],
    );
    assert.equal(await rootId(t), '0');
    // whatever reaches the root process's stdin comes back: the password must not
    const proc = await t.spawnAsRoot('id -u; cat');
    let out = '';
    proc.stdout.on('data', (b: Buffer) => (out += b.toString()));
    proc.stderr.resume();
    proc.endInput();
    const end = await proc.ended;
    assert.equal(end.code, 0);
    assert.equal(out, '0\n');
  } finally {
    await t.close();
  }
});

test('a user who may not sudo gets a clear error', async () => {
  rmSync(SUDOERS, { force: true });
  setPassword(SUDO_USER, 's3cret-pw');
  const p = scripted({ secret: 's3cret-pw' });
  await assert.rejects(open('node-sudo', p.prompter), (e: unknown) => {
    assert.ok(e instanceof PrivilegeError, String(e));
    assert.match((e as Error).message, /not allowed to run commands as root|cannot use sudo/);
    return true;
  });
});

test('the handshake deadline pauses while the responder answers, and fires on a silent server', async () => {
  const other = makeLab();
  const held = new Set<Socket>();
  const silent = createServer((sock) => {
    held.add(sock);
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const silentPort = (silent.address() as { port: number }).port;
    writeFileSync(
      other.configPath,
      `Host slow\n  HostName 127.0.0.1\n  Port ${node.port}\n  User root\n  IdentityFile ${lab.userKey}\n  UserKnownHostsFile ${other.knownHosts}\n` +
        `Host silent\n  HostName 127.0.0.1\n  Port ${silentPort}\n  User root\n  IdentityFile ${lab.userKey}\n  UserKnownHostsFile ${other.knownHosts}\n`,
    );
    const osrc = { configPath: other.configPath, home: other.home, localUser: 'responder' };
    const slowAnswer = async (): Promise<PromptAnswer> => {
      await new Promise((r) => setTimeout(r, 1500));
      return { trust: 'once' };
    };
    const t = await openSshTransport('slow', slowAnswer, new AbortController().signal, { config: osrc, readyTimeoutMs: 700 });
    await t.close();
    const started = Date.now();
    await assert.rejects(
      openSshTransport('silent', scripted().prompter, new AbortController().signal, { config: osrc, readyTimeoutMs: 700 }),
      (e: unknown) => e instanceof SshError && e.reason === 'network' && /no SSH handshake/.test((e as Error).message),
    );
    assert.ok(Date.now() - started < 5000);
  } finally {
    for (const sock of held) sock.destroy();
    silent.close();
    other.cleanup();
  }
});
