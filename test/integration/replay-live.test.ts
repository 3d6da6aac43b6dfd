// The real collector streams into a live ingest and a capture file at once; replaying the capture
// into another database gives the same answers. A reused pid stays two processes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ensureBuilt, requireRoot, run } from './collector-harness';
import { CaptureWriter } from '../../electron/core/capture/writer';
import { createIngest } from '../../electron/core/ingest/ingest';
import { importCapture } from '../../electron/core/capture/import';
import type { Store } from '../../electron/core/store/store';
import { tempDir, tempStore } from './store-harness';

const t = tempDir();
after(() => t.cleanup());

/** Runs `sh -c 'exit <code>'` twice under the same pid, steering the kernel with ns_last_pid. */
async function reusedPid(): Promise<{ pid: number; codes: [number, number] }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const a = await run('/bin/sh', ['-c', 'exit 3']);
    // identities compare starts at clock-tick resolution (PROTOCOL.md): reuse must be a tick later
    await new Promise((r) => setTimeout(r, 25));
    writeFileSync('/proc/sys/kernel/ns_last_pid', String(a.pid - 1));
    const b = await run('/bin/sh', ['-c', 'exit 5']);
    if (b.pid === a.pid) return { pid: a.pid, codes: [3, 5] };
  }
  throw new Error('could not get a pid reused (busy machine?)');
}

/** Our own children with that pid: other processes of the machine may get the pid too. */
function processesWithPid(store: Store, pid: number) {
  return store.db
    .prepare('SELECT id, start_key, exit_code, origin FROM processes WHERE pid = ? AND ppid = ? ORDER BY start_key')
    .all(pid, process.pid) as Array<{ id: number; start_key: number; exit_code: number | null; origin: string }>;
}

test('collector → live ingest + capture file → replay: same processes, pid reuse kept apart', async () => {
  requireRoot();
  ensureBuilt();
  const live = tempStore();
  const replayed = tempStore();
  try {
    const capPath = join(t.dir, 'live.jsonl.gz');
    const writer = await CaptureWriter.create(capPath, { node: 'localhost' });
    const ingest = createIngest(live.store, { source: 'live', ident: writer.id, flushMs: 50 });
    const collector = spawn(BIN, ['--no-snapshot', '--kinds=fork,exec,exit'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    collector.stderr.on('data', (d) => (stderr += d));
    // tee: the capture file gets every byte, the ingest applies back-pressure on the pipe
    collector.stdout.on('data', (b: Buffer) => writer.write(b));
    collector.stdout.pipe(ingest);
    const started = new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (ingest.stats.events > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
      collector.on('exit', () => reject(new Error(`collector exited: ${stderr}`)));
    });
    await started;
    // the probes are attached once a process of ours shows up
    for (let i = 0; ; i++) {
      const probe = await run('/bin/true', []);
      await new Promise((r) => setTimeout(r, 150));
      const seen = live.store.db.prepare("SELECT count(*) FROM events WHERE kind = 'exec' AND pid = ?").pluck().get(probe.pid) as number;
      if (seen > 0) break;
      if (i > 50) throw new Error(`the collector never reported our processes: ${stderr}`);
    }
    const { pid } = await reusedPid();
    await new Promise((r) => setTimeout(r, 1500));
    collector.kill('SIGTERM');
    await new Promise((r) => collector.on('exit', r));
    const stats = await ingest.finished();
    await writer.close();
    assert.equal(stats.badLines, 0);

    const liveProcs = processesWithPid(live.store, pid);
    assert.equal(liveProcs.length, 2, `two processes share pid ${pid}: ${JSON.stringify(liveProcs)}`);
    assert.notEqual(liveProcs[0]!.start_key, liveProcs[1]!.start_key);
    assert.deepEqual(liveProcs.map((p) => p.exit_code), [3, 5]);

    const r = await importCapture(replayed.store, capPath);
    assert.equal(r.state, 'complete', r.reason ?? '');
    assert.equal(r.info.header!.node!.boot_id?.length, 36, 'header carries the hello boot id');
    const count = (s: Store) => s.db.prepare('SELECT count(*) FROM events').pluck().get();
    assert.equal(count(replayed.store), count(live.store), 'the capture holds every line the live ingest saw');
    assert.deepEqual(processesWithPid(replayed.store, pid).map((p) => [p.start_key, p.exit_code]), liveProcs.map((p) => [p.start_key, p.exit_code]));
    const again = await importCapture(live.store, capPath);
    assert.equal(again.skipped, true, 'the file of a session already ingested live is not imported twice');
    const bye = replayed.store.db.prepare("SELECT count(*) FROM events WHERE kind = 'bye'").pluck().get();
    assert.equal(bye, 1, 'the capture ends with the collector\'s bye');
  } finally {
    live.cleanup();
    replayed.cleanup();
  }
});
