import type { ExportQuery } from '../../../shared/api/store';
import type { Store } from '../store/store';
import { eventFilterSql } from '../store/queries/filter';
import { CaptureWriter } from './writer';
import { compileRedactions, redactEvent } from './redact';

const CHUNK = 5000;

export interface ExportResult {
  path: string;
  events: number;
  redactedEvents: number;
  bytes: number;
}

/**
 * Writes a subset of the store (time range, container, process subtree) as a new capture file,
 * optionally redacted. Each node's hello line precedes its events (times stay anchored) and the
 * description lines of the containers involved come first, so the export imports on its own.
 */
export async function exportCapture(
  store: Store,
  q: ExportQuery,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<ExportResult> {
  const res = compileRedactions(q.redact ?? []);
  const db = store.db;
  const filter = { from: q.from, to: q.to, container: q.container, process: q.process, subtree: q.process !== undefined };
  const f = eventFilterSql(db, filter);
  const where = f.where.length ? f.where.join(' AND ') : '1';
  const total = (db.prepare(`${f.with}SELECT count(*) FROM events WHERE ${where}`).pluck().get(...f.withParams, ...f.params) as number) ?? 0;
  const writer = await CaptureWriter.create(q.path, {
    source: 'export',
    header: { ...(res.length ? { redacted: true } : {}) },
  });
  const hellos = new Map(db.prepare<[], { id: number; hello: string }>('SELECT id, hello FROM nodes').all().map((n) => [n.id, n.hello]));
  let node = -1;
  let events = 0;
  let redacted = 0;
  const emit = (nodeId: number | null, data: string) => {
    if (nodeId !== null && nodeId !== node && hellos.get(nodeId) !== '{}') {
      node = nodeId;
      writer.writeLine(hellos.get(nodeId)!);
    }
    if (data.startsWith('{"kind":"hello"')) return;
    if (res.length) {
      const ev = JSON.parse(data) as Record<string, unknown>;
      if (redactEvent(ev, res)) {
        redacted++;
        data = JSON.stringify(ev);
      }
    }
    writer.writeLine(data);
  };
  try {
    // container descriptions first, whatever the time range
    const containers = db
      .prepare(`${f.with}SELECT DISTINCT container FROM events WHERE ${where} AND container IS NOT NULL`)
      .pluck()
      .all(...f.withParams, ...f.params) as number[];
    for (const c of containers) {
      const d = db.prepare<[number], { node: number; data: string }>("SELECT node, data FROM events WHERE container = ? AND kind = 'container' LIMIT 1").get(c);
      if (d) emit(d.node, d.data);
    }
    let after: [number, number] = [-1, -1];
    for (;;) {
      if (opts.signal?.aborted) throw new Error('export cancelled');
      const rows = db
        .prepare<unknown[], { seq: number; t: number; node: number | null; kind: string; data: string }>(
          `${f.with}SELECT seq, t, node, kind, data FROM events WHERE ${where} AND (t, seq) > (?, ?) ORDER BY t, seq LIMIT ?`,
        )
        .all(...f.withParams, ...f.params, after[0], after[1], CHUNK);
      for (const r of rows) {
        if (r.kind !== 'container' || !containers.length) emit(r.node, r.data);
        events++;
      }
      opts.onProgress?.(events, total);
      if (rows.length < CHUNK) break;
      const last = rows[rows.length - 1]!;
      after = [last.t, last.seq];
      await writer.drained();
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await writer.close();
  }
  return { path: q.path, events, redactedEvents: redacted, bytes: writer.stats.bytes };
}
