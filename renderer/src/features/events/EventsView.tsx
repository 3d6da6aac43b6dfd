import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client';
import { useThrottledPush } from '../../app/usePush';
import { eventSortsFor, type EventRow } from '../../../../shared/api';
import { useSelection } from '../../app/selection';
import { ErrorState } from '../../app/states';
import { useApi } from '../../app/useApi';
import { fmtCount } from '../../ui/format';
import { COLUMNS, FIELD_COLUMNS, SORT_NAMES, SORT_NEEDS, type FieldColumn } from './columns';
import { ColumnChooser } from './ColumnChooser';
import { EventDetails } from './EventDetails';
import { EventsTable } from './EventsTable';
import { FilterBar } from './FilterBar';
import { toQuery, type EventsFilter } from './filters';
import { TIME_ORDER, useEventsUi, type Sort } from './state';
import { useEventWindow, WINDOW_ROWS } from './useEventWindow';

export function EventsView() {
  const sel = useSelection();
  const { kind, text, hidden, fields, sort: asked, setFilter, setSort, toggleColumn, toggleField } = useEventsUi();
  const filter: EventsFilter = { kind, text, container: sel.container, process: sel.process, subtree: sel.subtree, range: sel.range };
  const filterQuery = toQuery(filter);
  // The store sorts. A sort the filter would make slow is not offered: the rows come in time order
  // (same direction) and the status says why.
  const sortable = eventSortsFor(filterQuery);
  const sort: Sort = sortable.includes(asked.by) ? asked : { by: 'time', desc: asked.desc };
  const query = { ...filterQuery, ...(sort.by !== 'time' && { sort: sort.by }), ...(sort.desc && { desc: true }), ...(fields.length > 0 && { fields }) };
  const { win, ensure, openWindow } = useEventWindow(query);
  const [open, setOpen] = useState<EventRow | null>(null);
  const reveal = sel.reveal;
  const consumeReveal = sel.consumeReveal;
  useEffect(() => {
    // Another view (evidence of a rule, a timeline marker) asked for this event.
    if (reveal === null) return;
    consumeReveal();
    void api.call('eventDetail', { seq: reveal }).then((r) => r.ok && setOpen(r.value));
  }, [reveal, consumeReveal]);
  const [overview, reloadOverview] = useApi('overview', {});
  // The total grows while a capture imports or a session streams.
  useThrottledPush(['eventsIngested'], 1000, reloadOverview);
  const columns = useMemo(() => {
    // the extra field columns go before Details, which takes the rest of the row
    const base = COLUMNS.filter((c) => !hidden.includes(c.id));
    const extra = fields.map((f) => FIELD_COLUMNS.find((c) => c.field === f)).filter((c): c is FieldColumn => c !== undefined);
    const at = base.findIndex((c) => c.flex);
    return at < 0 ? [...base, ...extra] : [...base.slice(0, at), ...extra, ...base.slice(at)];
  }, [hidden, fields]);
  const onChange = useCallback((f: Partial<EventsFilter>) => setFilter(f), [setFilter]);
  const onClearLinked = useCallback(
    (which: 'container' | 'process' | 'range') => {
      if (which === 'container') sel.selectContainer(null);
      if (which === 'process') sel.selectProcess(null);
      if (which === 'range') sel.selectRange(null);
    },
    [sel],
  );

  const total = overview.state === 'ready' ? overview.value.events : null;
  const filtered = Object.keys(filterQuery).length > 0;
  const order =
    asked.by !== sort.by && asked.by !== 'time'
      ? ` · ${SORT_NAMES.time[sort.desc ? 'desc' : 'asc']} (${SORT_NEEDS[asked.by].toLowerCase()})`
      : sort.by !== 'time' || sort.desc
        ? ` · ${SORT_NAMES[sort.by][sort.desc ? 'desc' : 'asc']}`
        : '';
  const first = win.offset + 1;
  const last = win.offset + win.rows.length;
  const footer = win.error ? null : win.full ? (
    <span>
      This window holds {fmtCount(WINDOW_ROWS)} rows.{' '}
      <button type="button" className="btn" onClick={() => openWindow(1)}>
        Next {fmtCount(WINDOW_ROWS)} rows →
      </button>
    </span>
  ) : win.loading || win.more ? (
    <span className="muted">Loading more…</span>
  ) : win.rows.length === 0 && total === 0 ? (
    <span className="muted">Nothing captured yet: open a capture or connect to a node from Start. Rows appear here as they arrive.</span>
  ) : win.rows.length === 0 ? (
    <span className="muted">No events match. Clear a filter above, or choose another kind.</span>
  ) : (
    <span className="muted">
      End of the events{filtered ? ' matching this filter' : ''}
      {sort.by !== 'time' || sort.desc ? ` (${SORT_NAMES[sort.by][sort.desc ? 'desc' : 'asc']})` : ''}.
    </span>
  );

  return (
    <section className="events-view view-fill">
      <header className="view-header row">
        <h1>Events</h1>
        <p className="muted" aria-live="polite" data-testid="events-status">
          {win.rows.length > 0 ? `rows ${fmtCount(first)}–${fmtCount(last)}${win.more ? '+' : ''}` : win.loading ? 'loading…' : '0 rows'}
          {total !== null && ` of ${fmtCount(total)} events${filtered ? ' (before filtering)' : ''}`}
          {order}
        </p>
        <span className="spacer" />
        {win.window > 0 && (
          <button type="button" className="btn" onClick={() => openWindow(-1)}>
            ← Previous {fmtCount(WINDOW_ROWS)} rows
          </button>
        )}
        <ColumnChooser hidden={hidden} onToggle={toggleColumn} fields={fields} onToggleField={toggleField} />
      </header>
      <FilterBar filter={filter} onChange={onChange} onClearLinked={onClearLinked} />
      {win.error && sort.by !== 'time' ? (
        <ErrorState
          title={`The events cannot be sorted by ${SORT_NAMES[sort.by].label} now`}
          message={win.error.message}
          hint="Trying again sorts them by time."
          onRetry={() => setSort({ ...TIME_ORDER, desc: sort.desc })}
        />
      ) : win.error ? (
        <ErrorState
          title={win.error.code === 'unavailable' ? 'Events are not available' : 'The events could not be read'}
          message={win.error.message}
          hint={win.error.code === 'unavailable' ? 'Open a capture from Start, or restart with `tracehound serve <capture>`.' : 'Change the filter or try again.'}
          onRetry={() => setFilter({})}
        />
      ) : (
        <div className="split">
          <EventsTable
            rows={win.rows}
            version={win.version}
            columns={columns}
            sort={sort}
            sortable={sortable}
            onSort={setSort}
            selected={sel.event}
            onSelect={(r) => sel.selectEvent(r.seq)}
            onOpen={setOpen}
            onPickContainer={(cid) => sel.selectContainer(cid)}
            onReach={ensure}
            footer={footer}
          />
          {open && <EventDetails row={open} onClose={() => setOpen(null)} />}
        </div>
      )}
    </section>
  );
}
