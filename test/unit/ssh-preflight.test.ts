import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { evaluatePreflight, preflightFailure, preflightScript } from '../../electron/core/sessions/preflight';

const good = {
  kernel: '6.1.0-18-amd64',
  arch: 'x86_64',
  uid: '0',
  btf: 'yes',
  tracefs: '/sys/kernel/tracing',
  space: String(4 * 1024 * 1024),
  noexec: 'no',
  lockdown: 'none',
};
const out = (o: Partial<typeof good>) =>
  Object.entries({ ...good, ...o })
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
const check = (o: Partial<typeof good>, need = 5_000_000) => evaluatePreflight(out(o), '/tmp', need);
const failing = (o: Partial<typeof good>, need?: number) =>
  check(o, need)
    .filter((c) => !c.ok)
    .map((c) => c.name);

test('a capable node passes every check', () => {
  const c = check({});
  assert.deepEqual(c.filter((x) => !x.ok), []);
  assert.equal(preflightFailure(c), null);
  assert.deepEqual(c.map((x) => x.name).sort(), ['arch', 'btf', 'kernel', 'privileges', 'space', 'tracefs']);
});

test('each missing piece is reported on its own with advice', () => {
  assert.deepEqual(failing({ kernel: '5.4.0-150-generic' }), ['kernel']);
  assert.deepEqual(failing({ kernel: '5.8.0' }), []);
  assert.deepEqual(failing({ kernel: '4.19.0' }), ['kernel']);
  assert.deepEqual(failing({ btf: 'no' }), ['btf']);
  assert.deepEqual(failing({ arch: 'ppc64le' }), ['arch']);
  assert.deepEqual(failing({ uid: '1000' }), ['privileges']);
  assert.deepEqual(failing({ lockdown: 'confidentiality' }), ['privileges']);
  assert.deepEqual(failing({ noexec: 'yes' }), ['space']);
  assert.deepEqual(failing({ space: '2048' }), ['space']);
  assert.deepEqual(failing({ tracefs: 'no' }), ['tracefs']);
  for (const c of check({ kernel: '4.19.0', btf: 'no', noexec: 'yes', uid: '1000', tracefs: 'no' }).filter((x) => !x.ok))
    assert.ok(c.advice && c.advice.length > 30, `${c.name} explains itself`);
  assert.match(check({ noexec: 'yes' }).find((c) => c.name === 'space')!.advice!, /noexec.*TMPDIR/);
});

test('tracefs missing is a warning, not a stop; a fatal one stops with its advice', () => {
  assert.equal(preflightFailure(check({ tracefs: 'no' })), null);
  assert.match(preflightFailure(check({ btf: 'no' }))!, /CONFIG_DEBUG_INFO_BTF/);
});

test('garbage output fails closed', () => {
  const c = evaluatePreflight('\u0000\u0001 nonsense\n=x\n', '/tmp', 1);
  assert.ok(preflightFailure(c));
  assert.ok(c.every((x) => x.found.length <= 260));
});

test('the script runs in a POSIX shell and reports this machine', () => {
  const o = execFileSync('/bin/sh', ['-c', preflightScript('/tmp')], { encoding: 'utf8' });
  const c = evaluatePreflight(o, '/tmp', 1);
  const kernel = c.find((x) => x.name === 'kernel')!;
  assert.equal(kernel.found, execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
  assert.equal(c.find((x) => x.name === 'arch')!.found, execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
});
