/**
 * Drafts kept in the investigation database (`policy_drafts`): the exported text as it was
 * reviewed, with provenance, so the next draft of the same workload can be compared with it.
 */
import type { SavedDraft } from '../../../shared/api/policy';
import type { Policy, Provenance } from '../../../shared/policy';
import type { Db } from '../store/db';

interface Row {
  id: number;
  kind: string;
  name: string;
  created_at: number;
  provenance: string | null;
}

/** `kind` holds "<type> <workload>": the table predates per-workload lookups. */
function toSaved(r: Row): SavedDraft {
  const [type, ...rest] = r.kind.split(' ');
  return { id: r.id, type: type as SavedDraft['type'], workload: rest.join(' '), name: r.name, createdAt: r.created_at, provenance: parseProvenance(r.provenance) };
}

function parseProvenance(text: string | null): Provenance | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Provenance;
  } catch {
    return null;
  }
}

export function saveDraft(db: Db, p: Policy, workload: string, name: string, text: string, now = Date.now()): SavedDraft {
  const container = db.prepare('SELECT id FROM containers WHERE cid = ? LIMIT 1').pluck().get(workload) as number | undefined;
  const r = db
    .prepare('INSERT INTO policy_drafts (kind, name, container, created_at, body, provenance) VALUES (?, ?, ?, ?, ?, ?)')
    .run(`${p.type} ${workload}`, name, container ?? null, now, text, p.provenance ? JSON.stringify(p.provenance) : null);
  return toSaved({ id: Number(r.lastInsertRowid), kind: `${p.type} ${workload}`, name, created_at: now, provenance: p.provenance ? JSON.stringify(p.provenance) : null });
}

export function listDrafts(db: Db, q: { workload?: string; type?: string }): SavedDraft[] {
  const rows = db.prepare('SELECT id, kind, name, created_at, provenance FROM policy_drafts ORDER BY created_at DESC, id DESC LIMIT 1000').all() as Row[];
  return rows.map(toSaved).filter((d) => (q.type === undefined || d.type === q.type) && (q.workload === undefined || d.workload === q.workload));
}

export function draftText(db: Db, id: number): string | undefined {
  return db.prepare('SELECT body FROM policy_drafts WHERE id = ?').pluck().get(id) as string | undefined;
}
