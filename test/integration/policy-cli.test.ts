// `tracehound policy | audit | diff` end to end on a real recording: a runc container captured by
// the collector into a gzip capture file with a header line, as live sessions write them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureBuilt, requireRoot, ROOT } from './collector-harness.js';
import { containerId, deleteContainer, makeBundle, removeBundle, recordContainer } from './policy-harness.js';

let dir: string;
let bundle: string;
let capture: string;
const id = containerId('cli');

function cli(...args: string[]) {
  return new Promise<{ code: number | null; out: string; err: string }>((res, rej) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/cli/main.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', rej);
    p.on('exit', (code) => res({ code, out, err }));
  });
}

before(async () => {
  requireRoot();
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'th-policy-cli-'));
  bundle = makeBundle({ args: ['sh', '-c', 'mkdir /tmp/d; echo hi > /tmp/d/f; cat /tmp/d/f; sleep 1'] /* long enough for the collector to resolve the container */ });
  const c = await recordContainer(bundle, id, ['--kinds=-open']);
  const header = JSON.stringify({ tracehound_capture: 1, id: `cli-${process.pid}-0000`, created: new Date().toISOString(), source: 'live' });
  capture = join(dir, 'node1.jsonl.gz');
  writeFileSync(capture, gzipSync([header, ...c.raw].join('\n') + '\n'));
});

after(() => {
  deleteContainer(id);
  removeBundle(bundle);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('policy drafts to a file, audit passes it, a narrowed copy is audited and diffed', async () => {
  const p = join(dir, 'p.json');
  const draft = await cli('policy', capture, '--container', 'web', '--kind', 'seccomp', '--out', p);
  assert.equal(draft.code, 0, draft.err);
  assert.match(draft.err, new RegExp(`from ${id}.*pod shop/web-1`));
  const profile = JSON.parse(readFileSync(p, 'utf8'));
  assert.equal(profile.defaultAction, 'SCMP_ACT_ERRNO');
  assert.ok(profile.syscalls[0].names.includes('mkdir'));

  const clean = await cli('audit', capture, '--policy', p, '--container', id);
  assert.equal(clean.code, 0, clean.out + clean.err);
  assert.match(clean.out, /nothing would be denied/);

  profile.syscalls[0].names = profile.syscalls[0].names.filter((n: string) => n !== 'mkdir');
  const q = join(dir, 'q.json');
  writeFileSync(q, JSON.stringify(profile));
  const denied = await cli('audit', capture, '--policy', q, '--container', 'shop/web-1');
  assert.equal(denied.code, 3, denied.out + denied.err);
  assert.match(denied.out, /DENY syscall mkdir — not allowed; default SCMP_ACT_ERRNO — syscalls t=\d+/);

  const d = await cli('diff', p, q, '--text');
  assert.equal(d.code, 3, d.err);
  assert.match(d.out, /^removed +syscall mkdir$/m);
  assert.match(d.out, /^-\s+"mkdir",$/m);
  // extending a baseline that blocks mkdir: the draft cannot loosen it
  const base = join(dir, 'base.json');
  writeFileSync(base, JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] }));
  const ext = join(dir, 'ext.json');
  const extended = await cli('policy', capture, '--container', 'web', '--kind', 'seccomp', '--base', base, '--out', ext);
  assert.equal(extended.code, 0, extended.err);
  const extDoc = JSON.parse(readFileSync(ext, 'utf8'));
  assert.ok(!extDoc.syscalls[0].names.includes('mkdir'));
  assert.deepEqual(extDoc.syscalls[1], { names: ['mkdir'], action: 'SCMP_ACT_ERRNO' });
  const blocked = await cli('audit', capture, '--policy', ext);
  assert.equal(blocked.code, 3);
  assert.match(blocked.out, /DENY syscall mkdir — rule SCMP_ACT_ERRNO/);

  const same = await cli('diff', p, p);
  assert.equal(same.code, 0);
  assert.equal(same.out, '');
});

test('other kinds and formats; usage and file errors', async () => {
  const caps = await cli('policy', capture, '--container', 'web', '--kind', 'caps');
  assert.equal(caps.code, 0, caps.err);
  assert.match(caps.out, /securityContext:\n {2}capabilities:\n {4}drop:\n {6}- ALL/);
  const cil = await cli('policy', capture, '--container', 'web', '--kind', 'netpol', '--format', 'cilium');
  assert.equal(cil.code, 0, cil.err);
  assert.match(cil.out, /kind: CiliumNetworkPolicy/);
  assert.match(cil.err, /not in the loaded pod list/);
  const spo = await cli('policy', capture, '--container', 'web', '--kind', 'seccomp', '--format', 'spo', '--complain');
  assert.match(spo.out, /defaultAction: SCMP_ACT_LOG/);

  // one draft per workload into a directory; nothing is overwritten on a second run
  const outDir = join(dir, 'drafts');
  const each = await cli('policy', capture, '--kind', 'seccomp', '--out-dir', outDir);
  assert.equal(each.code, 0, each.err);
  assert.ok(existsSync(join(outDir, 'web-1-web-seccomp.json')), each.err);
  const twice = await cli('policy', capture, '--kind', 'seccomp', '--out-dir', outDir);
  assert.equal(twice.code, 0, twice.err);
  assert.ok(existsSync(join(outDir, 'web-1-web-seccomp-2.json')));
  assert.equal(readFileSync(join(outDir, 'web-1-web-seccomp.json'), 'utf8'), readFileSync(join(outDir, 'web-1-web-seccomp-2.json'), 'utf8'));

  const usage = await cli('policy', capture, '--container', 'web', '--kind', 'seccomp', '--format', 'cilium');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--format for seccomp is one of oci, spo/);
  const none = await cli('policy', capture, '--container', 'nothing-like-this', '--kind', 'caps');
  assert.equal(none.code, 1);
  const later = await cli('policy', capture, '--container', 'web', '--kind', 'caps', '--from', '2999-01-01T00:00:00Z');
  assert.equal(later.code, 1, 'nothing recorded in that range');
  const during = await cli('policy', capture, '--container', 'web', '--kind', 'caps', '--from', '2000-01-01T00:00:00Z', '--to', new Date(Date.now() + 60_000).toISOString());
  assert.equal(during.code, 0, during.err);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 10.0.0.0/99}\n');
  const e = await cli('audit', capture, '--policy', bad);
  assert.equal(e.code, 1);
  assert.match(e.err, /spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: not a CIDR/);
});
