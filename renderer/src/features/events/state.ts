import { create } from 'zustand';
import { COLUMNS } from './columns';
import type { EventsFilter } from './filters';

interface EventsUi {
  kind: string | null;
  text: string;
  hidden: string[];
  setFilter(f: Partial<Pick<EventsFilter, 'kind' | 'text'>>): void;
  toggleColumn(id: string): void;
}

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
  setFilter: (f) => set((s) => ({ kind: f.kind !== undefined ? f.kind : s.kind, text: f.text !== undefined ? f.text : s.text })),
  toggleColumn: (id) =>
    set((s) => {
      const hidden = s.hidden.includes(id) ? s.hidden.filter((x) => x !== id) : [...s.hidden, id];
      localStorage.setItem(HIDDEN_KEY, JSON.stringify(hidden));
      return { hidden };
    }),
}));
