import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addHostKey, checkHostKey, fingerprint, hostEntryName, keyType, knownKeyTypes } from '../../electron/core/ssh/known-hosts';

/** An SSH wire-format ed25519 public key blob from a freshly generated key. */
function ed25519Blob(): Buffer {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const s = (b: Buffer) => Buffer.concat([Buffer.alloc(4), b]).fill(0, 0, 4);
  const name = Buffer.from('ssh-ed25519');
  const a = s(name);
  a.writeUInt32BE(name.length, 0);
  const k = s(raw);
  k.writeUInt32BE(raw.length, 0);
  return Buffer.concat([a, k]);
}

function withFile(content: string, f: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'th-kh-'));
  try {
    const p = join(dir, 'known_hosts');
    writeFileSync(p, content);
    f(p);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (hosts: string, blob: Buffer) => `${hosts} ${keyType(blob)} ${blob.toString('base64')}`;

test('key type and SHA256 fingerprint in ssh-keygen form', () => {
  const b = ed25519Blob();
  assert.equal(keyType(b), 'ssh-ed25519');
  const fp = fingerprint(b);
  assert.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.equal(Buffer.from(fp.slice(7), 'base64').length, 32);
  assert.equal(keyType(Buffer.from([0, 0, 0, 200, 1])), 'unknown', 'a bogus blob does not throw');
});

test('entry names carry the port only when it is not 22', () => {
  assert.equal(hostEntryName('node1', 22), 'node1');
  assert.equal(hostEntryName('10.0.0.1', 2222), '[10.0.0.1]:2222');
});

test('plain, bracketed-port, wildcard and negated entries', () => {
  const a = ed25519Blob();
  const b = ed25519Blob();
  const content = [
    '# comment',
    '',
    line('node1,10.0.0.1', a),
    line('[node2]:2222', a),
    line('*.prod.example,!db.prod.example', b),
    'garbage-without-key',
  ].join('\n');
  withFile(content, (p) => {
    assert.equal(checkHostKey([p], 'node1', 22, a).status, 'known');
    assert.equal(checkHostKey([p], '10.0.0.1', 22, a).status, 'known');
    assert.equal(checkHostKey([p], 'node2', 2222, a).status, 'known');
    assert.equal(checkHostKey([p], 'node2', 22, a).status, 'unknown', 'port 22 is another entry');
    assert.equal(checkHostKey([p], 'web.prod.example', 22, b).status, 'known');
    assert.equal(checkHostKey([p], 'db.prod.example', 22, b).status, 'unknown', 'negated pattern');
    assert.equal(checkHostKey([p], 'other', 22, a).status, 'unknown');
  });
});

test('a different key of the same type is "changed", with file and line', () => {
  const a = ed25519Blob();
  const b = ed25519Blob();
  withFile(`# first\n${line('node1', a)}\n`, (p) => {
    const v = checkHostKey([p], 'node1', 22, b);
    assert.deepEqual(v, { status: 'changed', file: p, line: 2 });
  });
});

test('hashed entries match; a written entry is hashed and found again', () => {
  const a = ed25519Blob();
  const salt = randomBytes(20);
  const h = createHmac('sha1', salt).update('[10.1.1.1]:2200').digest('base64');
  withFile(`|1|${salt.toString('base64')}|${h} ${keyType(a)} ${a.toString('base64')}\n`, (p) => {
    assert.equal(checkHostKey([p], '10.1.1.1', 2200, a).status, 'known');
    assert.equal(checkHostKey([p], '10.1.1.2', 2200, a).status, 'unknown');
    const b = ed25519Blob();
    addHostKey(p, 'fresh', 22, b);
    assert.ok(!readFileSync(p, 'utf8').includes('fresh'));
    assert.equal(checkHostKey([p], 'fresh', 22, b).status, 'known');
    assert.deepEqual(knownKeyTypes([p], 'fresh', 22), ['ssh-ed25519']);
  });
});

test('@revoked refuses the key; @cert-authority lines are not host keys', () => {
  const a = ed25519Blob();
  withFile(`@revoked ${line('*', a)}\n@cert-authority ${line('node1', ed25519Blob())}\n`, (p) => {
    assert.equal(checkHostKey([p], 'node1', 22, a).status, 'revoked');
    assert.equal(checkHostKey([p], 'node1', 22, ed25519Blob()).status, 'unknown');
  });
});

test('sha256 of the blob is what the fingerprint encodes', () => {
  const a = ed25519Blob();
  assert.equal(fingerprint(a), `SHA256:${createHash('sha256').update(a).digest('base64').replace(/=+$/, '')}`);
});
