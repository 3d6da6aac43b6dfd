// Capture files as draft sources: header line skipped, bad lines reported by number, a gzip file
// cut by a crash read up to the cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readCapture, streamCapture } from '../../electron/core/policy';

const header = JSON.stringify({ tracehound_capture: 1, id: 'abcd-1234-efgh', created: '2026-11-24T19:00:00Z' });
const line = (i: number) => JSON.stringify({ kind: 'syscalls', ts: 1000 + i, cgroup: 7, cid: 'c1', arch: 'x86_64', phase: 'workload', nr: [i % 400] });

test('header skipped, bad lines counted with their numbers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'th-pcap-'));
  try {
    const p = join(dir, 'a.jsonl');
    writeFileSync(p, [header, line(1), '{"kind":"syscalls","ts":"x","cgroup":7,"nr":[]}', 'not json', line(2), '{"kind":"from-the-future"}'].join('\n') + '\n');
    const r = await readCapture(p);
    assert.equal(r.events.length, 2);
    assert.equal(r.bad, 2);
    assert.deepEqual(r.errors.map((e) => [e.line, e.field]), [[3, 'ts'], [4, '(line)']]);
    assert.equal(r.events[0]!.capture, 'a.jsonl');
    assert.equal(r.truncated, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a gzip capture cut by a crash yields everything before the cut', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'th-pcap-'));
  try {
    const lines = [header, ...Array.from({ length: 5000 }, (_, i) => line(i))];
    const whole = gzipSync(lines.join('\n') + '\n');
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    let n = 0;
    const r = await streamCapture(cut, () => n++);
    assert.equal(r.truncated, true);
    assert.ok(n > 1000 && n < 5000, `read ${n} events before the cut`);
    // a cut line may be partial: at most one rejected
    assert.ok(r.bad <= 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
