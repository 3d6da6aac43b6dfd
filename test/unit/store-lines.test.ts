import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../../electron/core/ingest/lines';
import { compileRedactions, redactEvent, redactString, MASK } from '../../electron/core/capture/redact';
import { summarize } from '../../electron/core/store/queries/summary';
import { sniffCompression } from '../../electron/core/capture/format';
import { likeContains } from '../../electron/core/store/queries/filter';

function split(chunks: string[], max = 16) {
  const lines: Array<[number, string]> = [];
  const big: Array<[number, number]> = [];
  const s = new LineSplitter((l, n) => lines.push([n, l]), (n, b) => big.push([n, b]), 1, max);
  for (const c of chunks) s.push(Buffer.from(c));
  const cut = s.end();
  return { lines, big, cut };
}

test('lines split across chunks, CRLF and blank lines', () => {
  const r = split(['{"a"', ':1}\r\n\n{"b":2}\n{"c"', ':3}']);
  assert.deepEqual(r.lines, [
    [1, '{"a":1}'],
    [3, '{"b":2}'],
    [4, '{"c":3}'],
  ]);
  assert.equal(r.cut, true, 'a last line without newline is reported');
});

test('an over-long line is skipped without being buffered, and counted', () => {
  const r = split(['short\n', 'x'.repeat(10), 'y'.repeat(10), 'z\nafter\n']);
  assert.deepEqual(r.lines, [
    [1, 'short'],
    [3, 'after'],
  ]);
  assert.deepEqual(r.big, [[2, 21]]);
});

test('multi-byte UTF-8 split between chunks is decoded whole', () => {
  const bytes = Buffer.from('{"p":"é€😀"}\n');
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), () => undefined);
  for (let i = 0; i < bytes.length; i++) s.push(bytes.subarray(i, i + 1));
  assert.deepEqual(lines, ['{"p":"é€😀"}']);
});

test('abandon drops a partial last line', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), () => undefined);
  s.push(Buffer.from('{"a":1}\n{"b":'));
  assert.equal(s.abandon(), 5);
  assert.equal(s.end(), false);
  assert.deepEqual(lines, ['{"a":1}']);
});

test('redaction masks groups when there are, whole matches otherwise', () => {
  const res = compileRedactions(['--password=(\\S+)', 'ghp_[A-Za-z0-9]{8,}']);
  assert.equal(redactString('app --password=hunter2 --user=bob', res), `app --password=${MASK} --user=bob`);
  assert.equal(redactString('token ghp_abcdefghij1234 end', res), `token ${MASK} end`);
  assert.equal(redactString('nothing here', res), 'nothing here');
  const ev: Record<string, unknown> = { kind: 'exec', argv: ['curl', '--password=x1'], filename: '/bin/curl', env: { A: 'ghp_abcdefghij' }, pid: 3 };
  assert.equal(redactEvent(ev, res), true);
  assert.deepEqual(ev.argv, ['curl', `--password=${MASK}`]);
  assert.deepEqual(ev.env, { A: MASK });
  assert.equal(ev.pid, 3);
  assert.throws(() => compileRedactions(['ok', '(']), /redaction pattern 2/);
});

test('summaries follow the kind templates', () => {
  assert.equal(summarize('exec', { filename: '/bin/sh', argv: ['sh', '-c', 'id'] }), '/bin/sh sh -c id');
  assert.equal(summarize('net', { op: 'connect', proto: 'tcp', saddr: '127.0.0.1', sport: 1, daddr: '127.0.0.1', dport: 4444 }), 'connect tcp 127.0.0.1:1 → 127.0.0.1:4444');
  assert.equal(summarize('stats', { sent: { a: 2, b: 3 }, dropped: { a: 1 } }), 'sent 5 dropped 1');
  assert.equal(summarize('bpf_prog', {}), 'unknown kind bpf_prog');
  assert.ok(summarize('open', { path: 'a'.repeat(1000) }).length <= 300);
});

test('compression is recognised from the first bytes; LIKE patterns are escaped', () => {
  assert.equal(sniffCompression(Buffer.from([0x1f, 0x8b, 8])), 'gzip');
  assert.equal(sniffCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])), 'zstd');
  assert.equal(sniffCompression(Buffer.from('{"kind"')), 'none');
  assert.equal(likeContains('50%_a\\b'), '%50\\%\\_a\\\\b%');
});
