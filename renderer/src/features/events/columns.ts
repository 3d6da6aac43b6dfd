/**
 * Columns of the events table, declared once from the field metadata in shared/events.ts (label,
 * width, hidden-by-default). A column reads the row's own property of that name, so fields the
 * store adds to its rows appear without changing this file.
 */
import { CONTEXT_FIELDS, KINDS, isEventKind, type FieldSpec } from '../../../../shared/events';
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

function toColumn(f: FieldSpec): Column {
  return { id: f.name, label: f.label, width: f.width ?? 90, template: f.template, hiddenByDefault: f.hidden ?? false };
}

export function cell(row: EventRow, id: string): unknown {
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
