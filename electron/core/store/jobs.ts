import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { ExportQuery } from '../../../shared/api/store';
import type { CoreContext } from '../context';
import { ApiFailure } from '../api/types';
import { importCapture } from '../capture/import';
import { exportCapture } from '../capture/export';
import { compileRedactions } from '../capture/redact';
import type { Store } from './store';

/** Imports a capture as a job: progress in bytes of the file, `eventsIngested` after each commit. */
export function startImportJob(ctx: CoreContext, store: Store, path: string, speed?: number): string {
  if (!existsSync(path)) throw new ApiFailure('not_found', `${path}: no such file`);
  const job = ctx.jobs.start(`Import ${basename(path)}`, 'bytes', async (h) => {
    const r = await importCapture(store, path, {
      signal: h.signal,
      ...(speed ? { speed } : {}),
      onProgress: (p) => h.progress(p.bytes, p.totalBytes, { rate: p.rate, etaSeconds: p.etaSeconds }),
      onCommit: (s) => ctx.bus.emit('eventsIngested', { total: s.events, rate: Math.round(s.rate) }),
    });
    if (r.state === 'failed') throw new Error(r.reason ?? 'import failed');
    return r;
  });
  return job.id;
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
