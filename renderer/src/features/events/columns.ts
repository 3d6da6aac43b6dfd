/**
 * Columns of the events table, declared once from the field metadata in shared/events.ts (label,
 * width, hidden-by-default). A column reads the row's own property of that name, so fields the
 * store adds to its rows appear without changing this file.
 */
import { CONTEXT_FIELDS, EVENT_KINDS, KINDS, isEventKind, type FieldSpec } from '../../../../shared/events';
import type { EventRow, EventSort } from '../../../../shared/api';

export interface Column {
  id: string;
  label: string;
  width: number;
  template?: FieldSpec['template'];
  hiddenByDefault: boolean;
  /** Grows to fill the row. */
  flex?: boolean;
  /** The store's order this column sorts by; absent: no index orders the events by it. */
  sort?: EventSort;
}

const own: Column[] = [
  { id: 'seq', label: '#', width: 84, template: 'num', hiddenByDefault: true },
  { id: 'kind', label: 'Kind', width: 86, hiddenByDefault: false, sort: 'kind' },
];
const summary: Column = { id: 'summary', label: 'Details', width: 320, hiddenByDefault: false, flex: true, template: 'text' };

/** Collector fields the store's rows carry, and the row property holding each. */
const ROW_FIELD: Record<string, keyof EventRow> = { ts: 't', pid: 'pid', comm: 'comm', cid: 'cid' };
const field = (name: string) => toColumn(CONTEXT_FIELDS.find((f) => f.name === name)!);

export const COLUMNS: readonly Column[] = [
  own[0]!,
  { ...field('ts'), sort: 'time' },
  own[1]!,
  field('pid'),
  field('comm'),
  { ...field('cid'), sort: 'container' },
  { id: 'process', label: 'Process id', width: 84, template: 'num', hiddenByDefault: true, sort: 'process' },
  summary,
];

/** Id of the column showing a field of the collector's lines (the store returns it on request). */
export const fieldColumnId = (name: string) => `field:${name}`;

export interface FieldColumn extends Column {
  field: string;
  /** Kinds whose lines carry this field (context fields: every process event). */
  kinds: string[];
}

/**
 * Every field the collector's lines can carry, beyond the columns above: context fields (TID,
 * PPID, UID, namespaces…) and each kind's own (path, flags, addresses, ports, argv…), one column
 * per field name, labelled by the first kind that declares it. Shown on request only.
 */
export const FIELD_COLUMNS: readonly FieldColumn[] = (() => {
  const byName = new Map<string, FieldColumn>();
  const shown = new Set(['ts', 'pid', 'comm', 'cid', 'kind']);
  const add = (f: FieldSpec, kind: string) => {
    if (shown.has(f.name)) return;
    const have = byName.get(f.name);
    if (have) {
      if (!have.kinds.includes(kind)) have.kinds.push(kind);
      return;
    }
    const wide = f.type === 'strs' || (f.type === 'str' && (f.max ?? 0) > 256);
    byName.set(f.name, { id: fieldColumnId(f.name), field: f.name, label: f.label, width: wide ? 240 : Math.max(f.width ?? 90, f.label.length * 8 + 24), hiddenByDefault: true, kinds: [kind] });
  };
  for (const f of CONTEXT_FIELDS) add(f, 'process events');
  for (const k of EVENT_KINDS) for (const f of KINDS[k].fields) add(f, k);
  return [...byName.values()];
})();

function toColumn(f: FieldSpec): Column {
  return { id: f.name, label: f.label, width: f.width ?? 90, template: f.template, hiddenByDefault: f.hidden ?? false };
}

export function cell(row: EventRow, id: string): unknown {
  if (id.startsWith('field:')) return row.fields?.[id.slice(6)];
  return (row as unknown as Record<string, unknown>)[ROW_FIELD[id] ?? id];
}

export function kindLabel(kind: string): string {
  return isEventKind(kind) ? KINDS[kind].label : kind;
}

/** How a sort reads in the status line and the headers' titles. */
export const SORT_NAMES: Record<EventSort, { label: string; asc: string; desc: string }> = {
  time: { label: 'time', asc: 'oldest first', desc: 'newest first' },
  kind: { label: 'kind', asc: 'by kind (A→Z), then time', desc: 'by kind (Z→A), newest first' },
  container: { label: 'container', asc: 'by container (first seen first, host first), then time', desc: 'by container (last seen first, host last), newest first' },
  process: { label: 'process', asc: 'by process id, then time', desc: 'by process id (highest first), newest first' },
};

/** Why a sort is not offered with the current filter (the store would scan for it). */
export const SORT_NEEDS: Record<Exclude<EventSort, 'time'>, string> = {
  kind: 'Sorting by kind needs no container or process filter',
  container: 'Sorting by container needs no kind or process filter',
  process: 'Sorting by process needs no kind or container filter, and no time range over a subtree',
};
