import type { ProcessDetails } from '../../../../shared/api/store';
import type { Db } from '../db';
import { eventsPage } from './events';
import { processAncestors, processById } from './processes';

export function processDetails(db: Db, id: number, limit = 200): ProcessDetails | null {
  const process = processById(db, id);
  if (!process) return null;
  const kinds: Record<string, number> = {};
  for (const r of db.prepare<[number], { kind: string; n: number }>('SELECT kind, count(*) AS n FROM events WHERE proc = ? GROUP BY kind').all(id)) {
    kinds[r.kind] = r.n;
  }
  return { process, ancestors: processAncestors(db, id), kinds, events: eventsPage(db, { process: id, limit }) };
}
