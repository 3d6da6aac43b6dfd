import { create } from 'zustand';
import type { EventSort } from '../../../../shared/api';
import { COLUMNS } from './columns';
import type { EventsFilter } from './filters';

export interface Sort {
  by: EventSort;
  desc: boolean;
}
export const TIME_ORDER: Sort = { by: 'time', desc: false };

interface EventsUi {
  kind: string | null;
  text: string;
  hidden: string[];
  /** Fields of the collector's lines shown as extra columns (FIELD_COLUMNS), in the order added. */
  fields: string[];
  /** The order asked for (the store sorts; the table shows it). */
  sort: Sort;
  setFilter(f: Partial<Pick<EventsFilter, 'kind' | 'text'>>): void;
  setSort(s: Sort): void;
  toggleColumn(id: string): void;
  toggleField(name: string): void;
}

const FIELDS_KEY = 'tracehound.eventFields.v1';
/** The store returns at most this many fields per row (EventsPageArgs). */
export const MAX_FIELD_COLUMNS = 16;
const initialFields = (): string[] => {
  try {
    const v = JSON.parse(localStorage.getItem(FIELDS_KEY) ?? '[]') as unknown;
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && /^[a-z][a-z0-9_]*$/.test(x)).slice(0, MAX_FIELD_COLUMNS);
  } catch {
    // none shown
  }
  return [];
};

const HIDDEN_KEY = 'tracehound.hiddenColumns.v2';
const initialHidden = (): string[] => {
  try {
    const v = JSON.parse(localStorage.getItem(HIDDEN_KEY) ?? 'null') as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  } catch {
    // fall back to the defaults of the field metadata
  }
  return COLUMNS.filter((c) => c.hiddenByDefault).map((c) => c.id);
};

/** The events view's own state; survives switching views. */
export const useEventsUi = create<EventsUi>((set) => ({
  kind: null,
  text: '',
  hidden: initialHidden(),
  fields: initialFields(),
  sort: TIME_ORDER,
  setSort: (sort) => set({ sort }),
  setFilter: (f) => set((s) => ({ kind: f.kind !== undefined ? f.kind : s.kind, text: f.text !== undefined ? f.text : s.text })),
  toggleColumn: (id) =>
    set((s) => {
      const hidden = s.hidden.includes(id) ? s.hidden.filter((x) => x !== id) : [...s.hidden, id];
      localStorage.setItem(HIDDEN_KEY, JSON.stringify(hidden));
      return { hidden };
    }),
  toggleField: (name) =>
    set((s) => {
      const fields = s.fields.includes(name) ? s.fields.filter((x) => x !== name) : [...s.fields, name].slice(0, MAX_FIELD_COLUMNS);
      localStorage.setItem(FIELDS_KEY, JSON.stringify(fields));
      return { fields };
    }),
}));
