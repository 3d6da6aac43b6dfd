/**
 * Observed behaviour from a path: an investigation database (SQLite) or a capture file of
 * collector lines. Both end in the same generators.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Observed } from '../../../shared/policy';
import { openDatabase } from '../store/db';
import { createObserver, observe, type ObserveOptions } from './observe/from-events';
import { streamCapture } from './observe/read-capture';
import { storeEvents } from './observe/from-store';

export function isDatabase(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    return n === 16 && head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

export interface SourceRead {
  observed: Observed[];
  warnings: string[];
}

export async function observeSource(path: string, opts: ObserveOptions & { container?: string } = {}): Promise<SourceRead> {
  if (isDatabase(path)) {
    const db = openDatabase(path, { readonly: true });
    try {
      const sel = opts.container && /^[0-9a-f]{6,}$/.test(opts.container) ? { container: opts.container } : {};
      return { observed: observe(storeEvents(db, sel), opts), warnings: [] };
    } finally {
      db.close();
    }
  }
  const obs = createObserver(opts);
  const r = await streamCapture(path, (s) => obs.add(s));
  const warnings = r.errors.map((e) => `${path}:${e.line}: ${e.field}: ${e.message}`);
  if (r.bad > r.errors.length) warnings.push(`${path}: ${r.bad - r.errors.length} more lines rejected`);
  if (r.truncated) warnings.push(`${path}: the file ends early (cut or damaged); everything before the cut was read`);
  return { observed: obs.finish(), warnings };
}

/** Workloads matching an id prefix, a container name, a pod name or `namespace/pod`. */
export function selectWorkloads(all: Observed[], query: string): Observed[] {
  const exact = all.filter((o) => o.key === query);
  if (exact.length) return exact;
  return all.filter((o) => {
    const p = o.provenance;
    return (
      (query.length >= 4 && o.key.startsWith(query)) ||
      p.containerName === query ||
      p.pod === query ||
      (p.namespace !== undefined && p.pod !== undefined && `${p.namespace}/${p.pod}` === query)
    );
  });
}

export function describeWorkload(o: Observed): string {
  const p = o.provenance;
  const pod = p.pod ? ` pod ${p.namespace ?? 'default'}/${p.pod}` : '';
  const name = p.containerName ? ` container ${p.containerName}` : '';
  // 64-hex runtime ids read as their 12-character short form, as docker and crictl print them
  return `${o.key.length > 32 ? o.key.slice(0, 12) : o.key}${name}${pod}`;
}
