import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { ExportQuery } from '../../../shared/api/store';
import type { CoreContext } from '../context';
import { ApiFailure } from '../api/types';
import { importCapture } from '../capture/import';
import { exportCapture } from '../capture/export';
import { compileRedactions } from '../capture/redact';
import type { Store } from './store';

/** At most this often the console is told how many events are in (each commit is ~2000). */
const INGESTED_PUSH_MS = 100;

/** Imports a capture as a job: progress in bytes of the file, `eventsIngested` as commits land. */
export function startImportJob(ctx: CoreContext, store: Store, path: string, speed?: number): string {
  if (!existsSync(path)) throw new ApiFailure('not_found', `${path}: no such file`);
  let lastPush = 0;
  const job = ctx.jobs.start(`Import ${basename(path)}`, 'bytes', async (h) => {
    const r = await importCapture(store, path, {
      signal: h.signal,
      ...(speed ? { speed } : {}),
      onProgress: (p) =>
        h.progress(p.bytes, p.totalBytes, {
          rate: p.rate,
          etaSeconds: p.etaSeconds,
          ...(p.phase === 'indexing' ? { stage: `${p.events.toLocaleString('en-US')} events in · building indexes (${p.indexes!.done} of ${p.indexes!.total})` } : {}),
        }),
      onCommit: (s) => {
        const now = Date.now();
        if (now - lastPush < INGESTED_PUSH_MS) return;
        lastPush = now;
        ctx.bus.emit('eventsIngested', { total: s.events, rate: Math.round(s.rate) });
      },
    });
    ctx.bus.emit('eventsIngested', { total: r.stats.events, rate: Math.round(r.stats.rate) });
    if (r.state === 'failed') throw new Error(r.reason ?? 'import failed');
    return r;
  });
  return job.id;
}

/** The capture the console was opened on: a failure to start shows as a failed job, not a crash. */
export function startOpeningImport(ctx: CoreContext, store: Store, path: string): void {
  try {
    startImportJob(ctx, store, path);
  } catch (e) {
    const message = (e as Error).message;
    ctx.jobs.start(`Import ${basename(path)}`, 'bytes', () => Promise.reject(new Error(message)));
  }
}

export function startExportJob(ctx: CoreContext, store: Store, q: ExportQuery): string {
  if (existsSync(q.path)) throw new ApiFailure('bad_request', `${q.path} exists; exports never overwrite a file`);
  try {
    compileRedactions(q.redact ?? []);
  } catch (e) {
    throw new ApiFailure('bad_request', (e as Error).message);
  }
  const job = ctx.jobs.start(`Export ${basename(q.path)}`, 'events', (h) =>
    exportCapture(store, q, { signal: h.signal, onProgress: (done, total) => h.progress(done, total) }),
  );
  return job.id;
}
