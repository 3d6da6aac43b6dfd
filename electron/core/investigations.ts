/**
 * Investigations the responder worked on: the databases this console opened (remembered in the
 * data directory) and those in the data directory itself, each described without opening it for
 * writing (events, captures, nodes, size).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import type { InvestigationEntry } from '../../shared/api/app';
import { openDatabase } from './store/db';
import { dataDir, isDatabaseFile } from './paths';

/** How many investigations are remembered and listed. */
const MAX_RECENT = 20;

interface Remembered {
  path: string;
  openedAt: number;
}

function recentFile(): string {
  return join(dirname(dataDir()), 'recent-investigations.json');
}

function readRecent(): Remembered[] {
  try {
    const v = JSON.parse(readFileSync(recentFile(), 'utf8')) as unknown;
    if (!Array.isArray(v)) return [];
    return v
      .filter((e): e is Remembered => typeof e === 'object' && e !== null && typeof e.path === 'string' && typeof e.openedAt === 'number')
      .slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}

/** Notes that this database was opened now (best effort: a read-only home is not an error). */
export function rememberInvestigation(path: string, now = Date.now()): void {
  try {
    const abs = resolve(path);
    const list = [{ path: abs, openedAt: now }, ...readRecent().filter((e) => e.path !== abs)].slice(0, MAX_RECENT);
    const file = recentFile();
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(`${file}.tmp`, JSON.stringify(list, null, 1), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    // the list is a convenience
  }
}

function describe(path: string, current: string, openedAt: number | null): InvestigationEntry {
  const entry: InvestigationEntry = {
    path,
    name: basename(path),
    current: path === current,
    exists: false,
    sizeBytes: null,
    events: null,
    captures: null,
    nodes: [],
    lastOpened: openedAt,
    modified: null,
  };
  try {
    const st = statSync(path);
    entry.exists = true;
    entry.sizeBytes = st.size;
    entry.modified = st.mtimeMs;
  } catch {
    return entry;
  }
  try {
    const db = openDatabase(path, { readonly: true });
    try {
      entry.events = (db.prepare('SELECT coalesce(sum(events), 0) FROM kind_counts').pluck().get() as number) ?? 0;
      entry.captures = db.prepare('SELECT count(*) FROM captures').pluck().get() as number;
      entry.nodes = db.prepare('SELECT hostname FROM nodes ORDER BY id LIMIT 4').pluck().all() as string[];
    } finally {
      db.close();
    }
  } catch (e) {
    entry.error = (e as Error).message.slice(0, 300);
  }
  return entry;
}

/** The current investigation first, then the remembered ones, then others of the data directory. */
export function listInvestigations(current: string): InvestigationEntry[] {
  const cur = resolve(current);
  const seen = new Set<string>();
  const out: InvestigationEntry[] = [];
  const add = (p: string, openedAt: number | null) => {
    if (seen.has(p) || out.length >= MAX_RECENT) return;
    seen.add(p);
    out.push(describe(p, cur, openedAt));
  };
  const recent = readRecent();
  add(cur, recent.find((e) => e.path === cur)?.openedAt ?? null);
  for (const e of recent) add(e.path, e.openedAt);
  try {
    const dir = dataDir();
    for (const n of readdirSync(dir)) if (isDatabaseFile(n)) add(join(dir, n), null);
  } catch {
    // no data directory yet
  }
  return out;
}

/** Why a path cannot be opened as an investigation, or null when it can. */
export function investigationProblem(path: string): string | null {
  if (!isDatabaseFile(path)) return `${path}: an investigation is a .sqlite or .db file`;
  if (!existsSync(path)) return `${path}: no such file`;
  if (!statSync(path).isFile()) return `${path}: not a file`;
  return null;
}
