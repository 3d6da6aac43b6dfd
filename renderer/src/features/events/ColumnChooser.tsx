import { useState } from 'react';
import { COLUMNS } from './columns';

/** Columns from the field metadata; hidden-by-default ones are a click away. */
export function ColumnChooser({ hidden, onToggle }: { hidden: string[]; onToggle(id: string): void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="popover-anchor">
      <button type="button" className="btn" aria-expanded={open} onClick={() => setOpen(!open)}>
        Columns
      </button>
      {open && (
        <div className="popover" role="dialog" aria-label="Columns" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {COLUMNS.map((c) => (
            <label key={c.id} className="check">
              <input type="checkbox" checked={!hidden.includes(c.id)} onChange={() => onToggle(c.id)} /> {c.label}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}
