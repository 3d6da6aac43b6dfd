/**
 * Columns of the events table, declared once from the field metadata in shared/events.ts (label,
 * width, hidden-by-default). A column reads the row's own property of that name, so fields the
 * store adds to its rows appear without changing this file.
 */
import { CONTEXT_FIELDS, KINDS, isEventKind, type FieldSpec } from '../../../../shared/events';
import type { EventRow } from '../../../../shared/api';

export interface Column {
  id: string;
  label: string;
  width: number;
  template?: FieldSpec['template'];
  hiddenByDefault: boolean;
  /** Grows to fill the row. */
  flex?: boolean;
}

const own: Column[] = [
  { id: 'seq', label: '#', width: 84, template: 'num', hiddenByDefault: true },
  { id: 'kind', label: 'Kind', width: 86, hiddenByDefault: false },
];
const summary: Column = { id: 'summary', label: 'Details', width: 320, hiddenByDefault: false, flex: true, template: 'text' };

/** Collector fields the store's rows carry, and the row property holding each. */
const ROW_FIELD: Record<string, keyof EventRow> = { ts: 't', pid: 'pid', comm: 'comm', cid: 'cid' };
const field = (name: string) => toColumn(CONTEXT_FIELDS.find((f) => f.name === name)!);

export const COLUMNS: readonly Column[] = [
  own[0]!,
  field('ts'),
  own[1]!,
  field('pid'),
  field('comm'),
  field('cid'),
  { id: 'process', label: 'Process id', width: 84, template: 'num', hiddenByDefault: true },
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

export function compareRows(id: string, dir: 1 | -1) {
  return (a: EventRow, b: EventRow): number => {
    const x = cell(a, id);
    const y = cell(b, id);
    if (x === y) return a.seq - b.seq;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * dir;
  };
}
