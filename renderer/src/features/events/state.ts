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
  /** The order asked for (the store sorts; the table shows it). */
  sort: Sort;
  setFilter(f: Partial<Pick<EventsFilter, 'kind' | 'text'>>): void;
  setSort(s: Sort): void;
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
  sort: TIME_ORDER,
  setSort: (sort) => set({ sort }),
  setFilter: (f) => set((s) => ({ kind: f.kind !== undefined ? f.kind : s.kind, text: f.text !== undefined ? f.text : s.text })),
  toggleColumn: (id) =>
    set((s) => {
      const hidden = s.hidden.includes(id) ? s.hidden.filter((x) => x !== id) : [...s.hidden, id];
      localStorage.setItem(HIDDEN_KEY, JSON.stringify(hidden));
      return { hidden };
    }),
}));
