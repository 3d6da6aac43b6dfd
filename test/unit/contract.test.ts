import { test } from 'node:test';
import assert from 'node:assert/strict';
import { array, int, object, oneOf, optional, parse, record, str } from '../../shared/schema';
import { checkEvent, CONTEXT_FIELDS, EVENT_KINDS, fieldsOf, KINDS, parseLine, startKey } from '../../shared/events';
import { METHOD_NAMES, methods } from '../../shared/api';
import { Core } from '../../electron/core/core';

test('schema: object rejects unknown fields and names the path of a wrong type', () => {
  const s = object({ a: int({ min: 0 }), b: optional(array(str({ max: 3 }))), c: object({ d: oneOf(['x', 'y'] as const) }) });
  assert.deepEqual(parse(s, { a: 1, c: { d: 'x' } }), { ok: true, value: { a: 1, c: { d: 'x' } } });
  const r1 = parse(s, { a: 1, b: ['ok', 'toolong'], c: { d: 'x' } });
  assert.equal(r1.ok, false);
  assert.equal(!r1.ok && r1.issue.path, 'b[1]');
  const r2 = parse(s, { a: 1, c: { d: 'z' } });
  assert.equal(!r2.ok && r2.issue.path, 'c.d');
  const r3 = parse(s, { a: 1, c: { d: 'x' }, evil: true });
  assert.equal(!r3.ok && r3.issue.path, 'evil');
  assert.equal(!r3.ok && r3.issue.message, 'unknown field');
  const r4 = parse(s, { c: { d: 'x' } });
  assert.equal(!r4.ok && r4.issue.message, 'missing required field');
  const r5 = parse(s, { a: -1, c: { d: 'x' } });
  assert.equal(r5.ok, false);
  const r6 = parse(s, { a: 1.5, c: { d: 'x' } });
  assert.equal(r6.ok, false);
});

test('schema: record bounds keys and validates values', () => {
  const s = record(int(), { maxKeys: 2 });
  assert.equal(parse(s, { a: 1, b: 2 }).ok, true);
  assert.equal(parse(s, { a: 1, b: 2, c: 3 }).ok, false);
  const r = parse(s, { a: 'x' });
  assert.equal(!r.ok && r.issue.path, '.a');
  // Prototype keys are plain data, never merged into Object.prototype.
  const p = parse(s, JSON.parse('{"__proto__": 1}'));
  assert.equal(p.ok, true);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('events: every kind declares its fields once, context first', () => {
  for (const k of EVENT_KINDS) {
    const names = fieldsOf(k).map((f) => f.name);
    assert.equal(new Set(names).size, names.length, `duplicate field in ${k}`);
    if (KINDS[k].context) assert.deepEqual(names.slice(0, 3), ['ts', 'pid', 'tid']);
  }
  assert.ok(CONTEXT_FIELDS.every((f) => f.label.length > 0));
});

test('events: valid lines pass and keep unknown fields', () => {
  const r = parseLine(
    '{"kind":"exec","ts":1,"pid":2,"tid":2,"ppid":1,"uid":0,"comm":"sh","cgroup":5,"filename":"/bin/sh","argv":["sh","-c","x"],"future_field":{"a":1}}',
  );
  assert.equal(r.ok, true);
  assert.deepEqual(r.ok && r.event.future_field, { a: 1 });
  const u = parseLine('{"kind":"open","ts":1,"pid":2,"path":"/etc/shadow","flags":0,"ret":-13}');
  assert.equal(u.ok, true);
});

test('events: bad lines are refused with the field named', () => {
  const cases: [string, string][] = [
    ['not json', '(line)'],
    ['[1,2]', '(line)'],
    ['{"ts":1}', 'kind'],
    ['{"kind":"exec","ts":"1","pid":2,"filename":"/x"}', 'ts'],
    ['{"kind":"exec","ts":1,"pid":2}', 'filename'],
    ['{"kind":"exec","ts":1,"pid":2,"filename":"/x","argv":[1]}', 'argv'],
    ['{"kind":"hello","proto":1,"collector":"x","kernel":"k","boot_id":"b","hostname":"h","clock":{"boot_ns":"a"}}', 'clock'],
    [`{"kind":"open","ts":1,"pid":1,"path":"${'a'.repeat(5000)}"}`, 'path'],
  ];
  for (const [line, field] of cases) {
    const r = parseLine(line);
    assert.equal(r.ok, false, line.slice(0, 60));
    assert.equal(!r.ok && r.field, field, line.slice(0, 60));
  }
  const unknown = checkEvent({ kind: 'teleport', ts: 1 });
  assert.equal(!unknown.ok && unknown.unknownKind, true);
  assert.equal(parseLine('x'.repeat(1024 * 1024 + 1)).ok, false);
});

test('events: start keys compare /proc ticks with nanoseconds', () => {
  assert.equal(startKey(123_456_789_012), startKey(123_450_000_000));
  assert.notEqual(startKey(123_456_789_012), startKey(123_460_000_000));
});

test('api: every method has an argument schema and a handler; bad arguments are refused at the boundary', async () => {
  const core = new Core({ version: 't', transport: 'browser', databasePath: ':memory:' });
  try {
    for (const m of METHOD_NAMES) assert.equal(typeof methods[m].args.check, 'function', m);
    const info = await core.call('appInfo', {});
    assert.deepEqual(info, {
      ok: true,
      value: { product: 'Tracehound', version: 't', transport: 'browser', database: ':memory:', capture: null },
    });
    const unknown = await core.call('deleteEverything', {});
    assert.equal(!unknown.ok && unknown.error.code, 'bad_request');
    const extra = await core.call('appInfo', { sneaky: 1 });
    assert.equal(!extra.ok && extra.error.path, 'sneaky');
    const wrong = await core.call('cancelJob', { job: 42 });
    assert.equal(!wrong.ok && wrong.error.path, 'job');
    const notObject = await core.call('cancelJob', 'x');
    assert.equal(notObject.ok, false);
    const cancel = await core.call('cancelJob', { job: 'nope' });
    assert.deepEqual(cancel, { ok: true, value: { cancelled: false } });
  } finally {
    await core.dispose();
    await core.dispose();
  }
});
