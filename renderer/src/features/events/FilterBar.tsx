import { useEffect, useRef, useState } from 'react';
import { EVENT_KINDS, KINDS } from '../../../../shared/events';
import { Inert } from '../../ui/Inert';
import { fmtTime, shortId } from '../../ui/format';
import { QUICK, loadSaved, storeSaved, type EventsFilter, type SavedFilter } from './filters';

export interface FilterBarProps {
  filter: EventsFilter;
  onChange(f: Partial<EventsFilter>): void;
  onClearLinked(which: 'container' | 'process' | 'range'): void;
}

/** Kind, text (debounced), quick filters, saved filters, and the chips of the linked selection. */
export function FilterBar({ filter, onChange, onClearLinked }: FilterBarProps) {
  const [text, setText] = useState(filter.text);
  const [saved, setSaved] = useState<SavedFilter[]>(loadSaved);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setText(filter.text), [filter.text]);
  useEffect(() => {
    if (text === filter.text) return;
    const t = window.setTimeout(() => onChange({ text }), 200);
    return () => window.clearTimeout(t);
  }, [text, filter.text, onChange]);
  useEffect(() => {
    // "/" focuses the filter from anywhere in the view, like find in a pager.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !(e.target instanceof HTMLInputElement) && !(e.target instanceof HTMLTextAreaElement)) {
        input.current?.focus();
        e.preventDefault();
      }
      if (e.altKey && e.shiftKey) {
        const q = QUICK.find((x) => x.key === e.key.toUpperCase());
        if (q) {
          onChange({ kind: filter.kind === q.kind ? null : q.kind });
          e.preventDefault();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [filter.kind, onChange]);

  const save = () => {
    const name = [filter.kind ? KINDS[filter.kind as keyof typeof KINDS]?.label ?? filter.kind : 'All', filter.text].filter(Boolean).join(': ');
    const next = [...saved.filter((s) => s.name !== name), { name, filter: { kind: filter.kind, text: filter.text } }];
    setSaved(next);
    storeSaved(next);
  };
  const remove = (name: string) => {
    const next = saved.filter((s) => s.name !== name);
    setSaved(next);
    storeSaved(next);
  };

  return (
    <div className="filterbar">
      <div className="filterbar-row">
        <label className="field">
          <span className="field-label">Kind</span>
          <select value={filter.kind ?? ''} onChange={(e) => onChange({ kind: e.target.value || null })} aria-label="Event kind">
            <option value="">All kinds</option>
            {EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KINDS[k].label}
              </option>
            ))}
          </select>
        </label>
        <input
          ref={input}
          className="search"
          type="search"
          placeholder="Filter: command, path, address…  ( / )"
          aria-label="Filter text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange({ text });
            if (e.key === 'Escape') setText('');
          }}
        />
        <div className="quick" role="group" aria-label="Quick filters">
          {QUICK.map((q) => (
            <button
              key={q.kind}
              type="button"
              className={`chip-btn kind-${q.kind} ${filter.kind === q.kind ? 'on' : ''}`}
              aria-pressed={filter.kind === q.kind}
              title={`Alt+Shift+${q.key}`}
              onClick={() => onChange({ kind: filter.kind === q.kind ? null : q.kind })}
            >
              {q.label}
            </button>
          ))}
        </div>
        <button type="button" className="btn btn-ghost" onClick={save} disabled={!filter.kind && !filter.text} title="Save this filter">
          Save filter
        </button>
      </div>
      {(saved.length > 0 || filter.container || filter.process || filter.range) && (
        <div className="filterbar-row chips">
          {filter.process && (
            <span className="chip">
              {filter.subtree ? 'Subtree of ' : 'Process '}
              <Inert text={`${filter.process.comm} (${filter.process.pid})`} clip max={60} />
              <button type="button" aria-label="Remove process filter" onClick={() => onClearLinked('process')}>
                ×
              </button>
            </span>
          )}
          {filter.container && (
            <span className="chip">
              Container <Inert text={shortId(filter.container)} clip max={40} />
              <button type="button" aria-label="Remove container filter" onClick={() => onClearLinked('container')}>
                ×
              </button>
            </span>
          )}
          {filter.range && (
            <span className="chip">
              {fmtTime(filter.range.from)} → {fmtTime(filter.range.to)}
              <button type="button" aria-label="Remove time range" onClick={() => onClearLinked('range')}>
                ×
              </button>
            </span>
          )}
          {saved.map((s) => (
            <span key={s.name} className="chip chip-saved">
              <button type="button" className="link-btn" onClick={() => onChange({ kind: s.filter.kind, text: s.filter.text })} title="Apply saved filter">
                ★ <Inert text={s.name} clip max={40} />
              </button>
              <button type="button" aria-label={`Delete saved filter ${s.name}`} onClick={() => remove(s.name)}>
                ×
              </button>
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
