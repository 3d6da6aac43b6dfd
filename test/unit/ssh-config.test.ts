import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listHosts, parseDestination, resolveTarget, TargetError, type ConfigSource } from '../../electron/core/ssh/config';

function lab(config: string, files: Record<string, string> = {}): { src: ConfigSource; home: string; done(): void } {
  const home = mkdtempSync(join(tmpdir(), 'th-cfg-'));
  mkdirSync(join(home, '.ssh', 'conf.d'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(home, '.ssh', name), text);
  writeFileSync(join(home, '.ssh', 'config'), config);
  return { src: { configPath: join(home, '.ssh', 'config'), home, localUser: 'me' }, home, done: () => rmSync(home, { recursive: true, force: true }) };
}

test('destinations: user@host:port, [v6]:port, ssh:// and bad input', () => {
  assert.deepEqual(parseDestination('root@node1:2222'), { user: 'root', host: 'node1', port: 2222 });
  assert.deepEqual(parseDestination('node1'), { user: undefined, host: 'node1', port: undefined });
  assert.deepEqual(parseDestination('ssh://a@[fe80::1]:22'), { user: 'a', host: 'fe80::1', port: 22 });
  assert.throws(() => parseDestination('-oProxyCommand=x'), TargetError);
  assert.throws(() => parseDestination('node1:99999'), TargetError);
  assert.throws(() => parseDestination('a b'), TargetError);
});

test('literal destination without config uses the local user and port 22', () => {
  const l = lab('');
  try {
    const t = resolveTarget('10.0.0.5', l.src);
    assert.equal(t.host, '10.0.0.5');
    assert.equal(t.port, 22);
    assert.equal(t.user, 'me');
    assert.deepEqual(t.jumps, []);
    assert.equal(t.userKnownHostsFiles[0], join(l.home, '.ssh', 'known_hosts'));
  } finally {
    l.done();
  }
});

test('Host blocks with wildcards, first value wins, Include globs, %h expansion, ProxyJump chains', () => {
  const l = lab(
    [
      'Include conf.d/*.conf',
      'Host bastion',
      '  HostName bastion.example',
      '  User jumper',
      'Host edge',
      '  HostName edge.example',
      '  ProxyJump bastion',
      'Host web-*',
      '  User ops',
      '  Port 2200',
      '  IdentityFile ~/.ssh/keys/%h.key',
      '  ProxyJump edge,bastion',
      'Host *',
      '  User fallback',
      '  Port 22',
    ].join('\n'),
    { 'conf.d/10-a.conf': 'Host web-1\n  HostName 10.0.1.1\n  HostKeyAlias web-one\n', 'conf.d/readme.txt': 'Host ignored\n' },
  );
  try {
    const t = resolveTarget('web-1', l.src);
    assert.equal(t.host, '10.0.1.1', 'HostName from the Included file');
    assert.equal(t.port, 2200);
    assert.equal(t.user, 'ops');
    assert.equal(t.hostKeyName, 'web-one');
    assert.deepEqual(t.identityFiles, [join(l.home, '.ssh', 'keys', '10.0.1.1.key')]);
    assert.deepEqual(
      t.jumps.map((j) => `${j.user}@${j.host}`),
      ['jumper@bastion.example', 'fallback@edge.example', 'jumper@bastion.example'],
      'each hop resolved through the config, its own jumps first',
    );
    const t2 = resolveTarget('admin@web-1:2201', l.src);
    assert.equal(t2.user, 'admin');
    assert.equal(t2.port, 2201);
    const hosts = listHosts(l.src).map((h) => h.alias).sort();
    assert.deepEqual(hosts, ['bastion', 'edge', 'web-1']);
  } finally {
    l.done();
  }
});

test('Match exec is never run; ProxyJump loops are refused', () => {
  const marker = join(tmpdir(), `th-match-exec-${process.pid}`);
  const l = lab(`Match exec "touch ${marker}"\n  User evil\nHost a\n  ProxyJump b\nHost b\n  ProxyJump a\n`);
  try {
    assert.throws(() => resolveTarget('a', l.src), /ProxyJump chain longer/);
    resolveTarget('c', l.src);
    assert.ok(!existsSync(marker), 'Match exec command was not executed');
  } finally {
    rmSync(marker, { force: true });
    l.done();
  }
});
