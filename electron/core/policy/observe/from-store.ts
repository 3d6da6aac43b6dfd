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
}

export function* storeEvents(db: Db, sel: StoreSelection = {}): Generator<SourcedEvent> {
  const kinds = KINDS.map((k) => `'${k}'`).join(',');
  const byContainer = sel.container !== undefined;
  const sql = `
    SELECT e.seq AS seq, e.data AS data, c.ident AS ident, c.path AS path, e.capture AS capture
    FROM events e LEFT JOIN captures c ON c.id = e.capture
    WHERE e.kind IN (${kinds})
    ${byContainer ? `AND (e.kind IN ('hello', 'container') OR e.container IN (SELECT id FROM containers WHERE substr(cid, 1, length(?)) = ?))` : ''}
    ORDER BY e.seq`;
  const stmt = db.prepare<unknown[], { seq: number; data: string; ident: string | null; path: string | null; capture: number | null }>(sql);
  const rows = byContainer ? stmt.iterate(sel.container, sel.container) : stmt.iterate();
  for (const r of rows) {
    const check = parseLine(r.data);
    if (!check.ok) continue;
    const capture = r.path ? basename(r.path) : (r.ident ?? (r.capture !== null ? `capture-${r.capture}` : 'live'));
    yield { event: check.event, seq: r.seq, capture };
  }
}
