import { useState } from 'react';
import type { EventRow } from '../../../../shared/api';
import { useApi } from '../../app/useApi';
import { Inert } from '../../ui/Inert';
import { copyText, safeJson } from '../../ui/copy';
import { fmtDateTime } from '../../ui/format';
import { kindLabel } from './columns';

/** One event: the collector's line as JSON (inert, long strings bounded), with copy. */
export function EventDetails({ row, onClose }: { row: EventRow; onClose(): void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const [detail] = useApi('eventDetail', { seq: row.seq });
  const value = detail.state === 'ready' ? { ...detail.value.data, node: detail.value.node, seq: row.seq } : row;
  const json = safeJson(value);
  return (
    <aside className="details" aria-label="Event details">
      <header className="details-head">
        <strong>
          {kindLabel(row.kind)} · #{row.seq}
        </strong>
        <span className="muted">{fmtDateTime(row.t)}</span>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => void copyText(json).then((ok) => setCopied(ok ? 'Copied' : 'Copy refused by the browser'))}
        >
          {copied ?? 'Copy JSON'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      {detail.state === 'error' && <p className="muted">The full line could not be read ({detail.message}); the row is shown.</p>}
      <pre className="json" data-testid="event-json">
        <Inert text={json} max={8000} multiline />
      </pre>
    </aside>
  );
}
