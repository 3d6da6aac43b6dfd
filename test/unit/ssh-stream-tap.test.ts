import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamTap } from '../../electron/core/sessions/stream-tap';

function tapOf() {
  const seen = { hello: 0, stats: [] as number[], errors: [] as string[], final: false };
  const tap = new StreamTap({
    onHello: () => seen.hello++,
    onStats: (s, final) => {
      seen.stats.push(Object.values(s.dropped).reduce((a, b) => a + b, 0));
      seen.final ||= final;
    },
    onError: (m) => seen.errors.push(m),
  });
  return { tap, seen };
}

const stream = [
  '{"kind":"hello","proto":1,"self_pid":42}',
  '{"kind":"exec","ts":1,"pid":2,"argv":["a"]}',
  '{"kind":"exit","ts":2,"pid":2,"code":0}',
  '{"kind":"stats","ts":3,"sent":{"exec":1},"dropped":{"exec":2,"open":3}}',
  '{"kind":"error","message":"probe x missing","fatal":false}',
  '{"kind":"bye","ts":4,"reason":"signal","sent":{},"dropped":{"open":7}}',
].join('\n') + '\n';

test('lines split at every possible chunk boundary are counted and read the same', () => {
  const whole = Buffer.from(stream);
  for (let cut = 1; cut < whole.length; cut += 7) {
    const { tap, seen } = tapOf();
    tap.push(whole.subarray(0, cut));
    tap.push(whole.subarray(cut));
    assert.equal(tap.events, 2, `cut at ${cut}`);
    assert.equal(seen.hello, 1);
    assert.deepEqual(seen.stats, [5, 7]);
    assert.deepEqual(seen.errors, ['probe x missing']);
    assert.equal(seen.final, true);
  }
});

test('hostile lines: broken JSON, huge lines and byte-at-a-time delivery do not break counting', () => {
  const { tap, seen } = tapOf();
  const huge = '{"kind":"stats","x":"' + 'A'.repeat(600_000) + '"}\n';
  const input = Buffer.from('{"kind":"stats",broken\n' + huge + '{"kind":"exec"}\n');
  for (let i = 0; i < input.length; i += 65536) tap.push(input.subarray(i, i + 65536));
  assert.deepEqual(seen.stats, []);
  assert.equal(tap.events, 2, 'the oversized line counts as an event for ingest to judge; the broken one is dropped here');
  const one = tapOf();
  for (const b of Buffer.from(stream)) one.tap.push(Buffer.from([b]));
  assert.equal(one.tap.events, 2);
});
