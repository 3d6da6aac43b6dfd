/** The events filter: what the bar edits, what saved filters store, and the query it becomes. */
import type { ArgsOf } from '../../../../shared/api';
import type { ProcessRef, TimeRange } from '../../app/selection';

export interface EventsFilter {
  kind: string | null;
  text: string;
  container: string | null;
  process: ProcessRef | null;
  subtree: boolean;
  range: TimeRange | null;
}

export const EMPTY_FILTER: EventsFilter = { kind: null, text: '', container: null, process: null, subtree: false, range: null };

export interface QuickFilter {
  label: string;
  kind: string;
  key: string;
}

/** Kinds a responder reaches for first; Alt+Shift+key toggles each. */
export const QUICK: readonly QuickFilter[] = [
  { label: 'Exec', kind: 'exec', key: 'E' },
  { label: 'Network', kind: 'net', key: 'N' },
  { label: 'Files', kind: 'open', key: 'F' },
  { label: 'Credentials', kind: 'cred', key: 'C' },
  { label: 'Exit', kind: 'exit', key: 'X' },
  { label: 'Mount', kind: 'mount', key: 'M' },
];

export type PageQuery = ArgsOf<'eventsPage'>;

/** The filter as the store's eventsPage query (every part is applied by the store). */
export function toQuery(f: EventsFilter): PageQuery {
  const query: PageQuery = {};
  if (f.kind) query.kinds = [f.kind];
  if (f.text.trim()) query.text = f.text.trim();
  if (f.container) query.container = f.container;
  if (f.process) {
    query.process = f.process.id;
    if (f.subtree) query.subtree = true;
  }
  if (f.range) {
    query.from = Math.floor(f.range.from);
    query.to = Math.ceil(f.range.to) + 1;
  }
  return query;
}

export interface SavedFilter {
  name: string;
  filter: Pick<EventsFilter, 'kind' | 'text'>;
}

const SAVED_KEY = 'tracehound.savedFilters';

export function loadSaved(): SavedFilter[] {
  try {
    const v = JSON.parse(localStorage.getItem(SAVED_KEY) ?? '[]') as unknown;
    if (!Array.isArray(v)) return [];
    return v.filter(
      (x): x is SavedFilter =>
        typeof x === 'object' && x !== null && typeof (x as SavedFilter).name === 'string' && typeof (x as SavedFilter).filter === 'object',
    );
  } catch {
    return [];
  }
}

export function storeSaved(list: SavedFilter[]): void {
  localStorage.setItem(SAVED_KEY, JSON.stringify(list));
}
