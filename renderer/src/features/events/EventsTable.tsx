import { useEffect, useMemo, useRef } from 'react';
import type { EventRow, EventSort } from '../../../../shared/api';
import { Inert } from '../../ui/Inert';
import { useFixedRows } from '../../ui/useFixedRows';
import { fmtTime, shortId } from '../../ui/format';
import { cell, kindLabel, SORT_NAMES, SORT_NEEDS, type Column } from './columns';
import type { Sort } from './state';

export const ROW_HEIGHT = 24;

export interface EventsTableProps {
  rows: EventRow[];
  version: number;
  columns: Column[];
  /** The order of `rows` (the store's: the table never reorders what it is given). */
  sort: Sort;
  /** The sorts the store can page fast with the current filter. */
  sortable: readonly EventSort[];
  onSort(s: Sort): void;
  selected: number | null;
  onSelect(row: EventRow): void;
  onOpen(row: EventRow): void;
  onPickContainer(cid: string): void;
  /** Called with the last visible index: the paging loads ahead of it. */
  onReach(index: number): void;
  /** Footer row (loading, end, next window). */
  footer: React.ReactNode;
}

function renderCell(row: EventRow, c: Column, onPickContainer: (cid: string) => void) {
  const v = cell(row, c.id);
  if (v === null || v === undefined) return null;
  if (c.id === 'kind')
    return (
      <span className={`kind kind-${String(v)}`} title={kindLabel(String(v))}>
        <Inert text={String(v)} clip max={16} />
      </span>
    );
  if (c.template === 'ts') return fmtTime(Number(v));
  if (c.id === 'cid')
    return (
      <button
        type="button"
        className="link-btn"
        title="Select this container in every view"
        onClick={(e) => {
          e.stopPropagation();
          onPickContainer(String(v));
        }}
      >
        <Inert text={shortId(String(v))} clip max={40} />
      </button>
    );
  if (typeof v === 'string') return <Inert text={v} clip max={300} />;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return <Inert text={JSON.stringify(v)} clip max={300} />;
}

/**
 * The virtualised table: only visible rows are in the DOM, at a fixed row height. Headers of the
 * columns the store can sort by ask it for that order; the others are plain labels.
 */
export function EventsTable(p: EventsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = p.rows;
  const count = rows.length + 1; // + footer
  const v = useFixedRows(scroller, count, ROW_HEIGHT, 6);
  const items: { index: number; start: number }[] = [];
  for (let i = v.start; i < v.end; i++) items.push({ index: i, start: i * ROW_HEIGHT });
  const last = Math.max(0, v.end - 1);
  const { onReach } = p;
  useEffect(() => onReach(last), [last, onReach, rows.length]);

  const selIndex = useMemo(() => (p.selected === null ? -1 : rows.findIndex((r) => r.seq === p.selected)), [rows, p.selected]);
  const template = p.columns.map((c) => (c.flex ? `minmax(${c.width}px, 1fr)` : `${c.width}px`)).join(' ');
  const width = p.columns.reduce((n, c) => n + c.width, 0);

  const move = (to: number) => {
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, to));
    p.onSelect(rows[i]!);
    v.scrollToIndex(i);
  };
  const onKey = (e: React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 480) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(selIndex + 1),
      ArrowUp: () => move(selIndex - 1),
      PageDown: () => move(selIndex + page),
      PageUp: () => move(selIndex - page),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      Enter: () => selIndex >= 0 && p.onOpen(rows[selIndex]!),
    };
    const k = keys[e.key];
    if (k) {
      k();
      e.preventDefault();
    }
  };

  return (
    <div className="etable" role="grid" aria-rowcount={rows.length} aria-label="Events">
      <div className="etable-head" role="row" style={{ gridTemplateColumns: template, minWidth: width }}>
        {p.columns.map((c) => {
          const by = c.sort;
          if (!by)
            return (
              <div key={c.id} role="columnheader" className="etable-th etable-th-plain" title={`${c.label}: not sortable (the store keeps no index in this order)`}>
                {c.label}
              </div>
            );
          const active = p.sort.by === by;
          const offered = p.sortable.includes(by);
          const names = SORT_NAMES[by];
          const title =
            by !== 'time' && !offered
              ? SORT_NEEDS[by]
              : active
                ? `Sorted ${p.sort.desc ? names.desc : names.asc}: click to reverse`
                : `Sort ${names.asc}`;
          return (
            <button
              key={c.id}
              type="button"
              role="columnheader"
              aria-sort={active ? (p.sort.desc ? 'descending' : 'ascending') : 'none'}
              aria-disabled={offered ? undefined : true}
              className="etable-th"
              onClick={() => offered && p.onSort({ by, desc: active ? !p.sort.desc : false })}
              title={title}
            >
              {c.label}
              {active ? (p.sort.desc ? ' ▼' : ' ▲') : ''}
            </button>
          );
        })}
      </div>
      <div className="etable-body" ref={scroller} tabIndex={0} onKeyDown={onKey} data-testid="events-scroller">
        <div style={{ height: v.total, position: 'relative', minWidth: width }}>
          {items.map((it) => {
            if (it.index === rows.length)
              return (
                <div key="footer" className="etable-foot" style={{ transform: `translateY(${it.start}px)` }}>
                  {p.footer}
                </div>
              );
            const r = rows[it.index]!;
            return (
              <div
                key={r.seq}
                role="row"
                aria-selected={r.seq === p.selected}
                className={`etable-row ${r.seq === p.selected ? 'selected' : ''} ${it.index % 2 ? 'odd' : ''}`}
                style={{ transform: `translateY(${it.start}px)`, gridTemplateColumns: template }}
                onClick={() => p.onSelect(r)}
                onDoubleClick={() => {
                  // A double click opens the details; it should not leave a word selected.
                  window.getSelection()?.removeAllRanges();
                  p.onOpen(r);
                }}
                data-seq={r.seq}
                data-index={it.index}
              >
                {p.columns.map((c) => (
                  <div key={c.id} role="gridcell" className={`etable-td col-${c.id.replace(':', '-')}`}>
                    {renderCell(r, c, p.onPickContainer)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
