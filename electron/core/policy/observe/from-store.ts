/**
 * The store as a source of sourced events for the draft generators: the collector lines kept
 * verbatim in `events.data`, with their sequence numbers (evidence points back at them) and the
 * capture each came from. Only the kinds that drafts read are loaded.
 */
import { basename } from 'node:path';
import { parseLine } from '../../../../shared/events';
import type { Db } from '../../store/db';
import type { SourcedEvent } from './evidence';

const KINDS = ['hello', 'container', 'syscalls', 'net', 'cap', 'cred', 'ptrace', 'module', 'mount', 'ns'];

export interface StoreSelection {
  /** Container id prefix; hello and container lines are always read. */
  container?: string;
  /** Wall-clock microseconds (the store's `t`), inclusive. */
  from?: number;
  to?: number;
  /** Capture row ids: a draft over a chosen set of captures. */
  captures?: number[];
}

export function* storeEvents(db: Db, sel: StoreSelection = {}): Generator<SourcedEvent> {
  const kinds = KINDS.map((k) => `'${k}'`).join(',');
  const where: string[] = [`e.kind IN (${kinds})`];
  const params: unknown[] = [];
  // hello and container lines describe what follows: never cut by the selection
  const described = (cond: string) => `(e.kind IN ('hello', 'container') OR ${cond})`;
  if (sel.container !== undefined) {
    where.push(described('e.container IN (SELECT id FROM containers WHERE substr(cid, 1, length(?)) = ?)'));
    params.push(sel.container, sel.container);
  }
  if (sel.from !== undefined) {
    where.push(described('e.t >= ?'));
    params.push(sel.from);
  }
  if (sel.to !== undefined) {
    where.push(described('e.t <= ?'));
    params.push(sel.to);
  }
  if (sel.captures?.length) {
    where.push(`e.capture IN (${sel.captures.map(() => '?').join(',')})`);
    params.push(...sel.captures);
  }
  const sql = `
    SELECT e.seq AS seq, e.data AS data, c.ident AS ident, c.path AS path, e.capture AS capture
    FROM events e LEFT JOIN captures c ON c.id = e.capture
    WHERE ${where.join(' AND ')}
    ORDER BY e.seq`;
  const stmt = db.prepare<unknown[], { seq: number; data: string; ident: string | null; path: string | null; capture: number | null }>(sql);
  const rows = stmt.iterate(...params);
  for (const r of rows) {
    const check = parseLine(r.data);
    if (!check.ok) continue;
    const capture = r.path ? basename(r.path) : (r.ident ?? (r.capture !== null ? `capture-${r.capture}` : 'live'));
    yield { event: check.event, seq: r.seq, capture };
  }
}
