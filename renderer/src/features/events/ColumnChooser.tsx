import { useState } from 'react';
import { COLUMNS, FIELD_COLUMNS } from './columns';
import { MAX_FIELD_COLUMNS } from './state';

/**
 * Columns from the field metadata; hidden-by-default ones are a click away. Below them, any field
 * of the collector's lines (path, flags, addresses, ports, argv, namespaces…) can become a column:
 * the store returns those fields with each row.
 */
export function ColumnChooser({
  hidden,
  onToggle,
  fields,
  onToggleField,
}: {
  hidden: string[];
  onToggle(id: string): void;
  fields: string[];
  onToggleField(name: string): void;
}) {
  const [open, setOpen] = useState(false);
  const [find, setFind] = useState('');
  const q = find.trim().toLowerCase();
  const matching = FIELD_COLUMNS.filter(
    (c) => fields.includes(c.field) || q === '' || c.label.toLowerCase().includes(q) || c.field.includes(q) || c.kinds.some((k) => k.includes(q)),
  );
  const full = fields.length >= MAX_FIELD_COLUMNS;
  return (
    <div className="popover-anchor">
      <button type="button" className="btn" aria-expanded={open} onClick={() => setOpen(!open)}>
        Columns{fields.length > 0 ? ` (+${fields.length})` : ''}
      </button>
      {open && (
        <div className="popover column-chooser" role="dialog" aria-label="Columns" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {COLUMNS.map((c) => (
            <label key={c.id} className="check">
              <input type="checkbox" checked={!hidden.includes(c.id)} onChange={() => onToggle(c.id)} /> {c.label}
            </label>
          ))}
          <h3 className="chooser-head">Fields of the events</h3>
          <input
            type="search"
            className="chooser-find"
            placeholder="path, port, flags, exec…"
            aria-label="Find a field"
            value={find}
            onChange={(e) => setFind(e.target.value)}
          />
          <div className="chooser-fields" role="group" aria-label="Fields of the events">
            {matching.map((c) => {
              const on = fields.includes(c.field);
              return (
                <label key={c.id} className="check" title={`${c.field}: in ${c.kinds.join(', ')}`}>
                  <input type="checkbox" checked={on} disabled={!on && full} onChange={() => onToggleField(c.field)} /> {c.label}{' '}
                  <span className="muted small">{c.kinds.length > 3 ? `${c.kinds.slice(0, 3).join(', ')}…` : c.kinds.join(', ')}</span>
                </label>
              );
            })}
            {matching.length === 0 && <p className="muted small">No field matches “{find}”.</p>}
          </div>
          {full && <p className="muted small">At most {MAX_FIELD_COLUMNS} field columns.</p>}
        </div>
      )}
    </div>
  );
}
