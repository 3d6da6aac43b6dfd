import type { AlertRow, EventRow } from '../../../../shared/api';
import { Inert } from '../../ui/Inert';
import { fmtDateTime, fmtTime, shortId } from '../../ui/format';
import { kindLabel } from '../events/columns';
import { ExitBadge } from './ProcessTree';
import { userName, type ProcNode, type TreeModel } from './model';

export type ProcEvents = { state: 'loading' } | { state: 'ready'; rows: EventRow[] } | { state: 'unavailable'; message: string };

/** Ancestors as a breadcrumb: each crumb selects that process. */
export function Breadcrumb({ model, id, onSelect }: { model: TreeModel; id: number; onSelect(n: ProcNode): void }) {
  const chain = model.ancestors(id);
  return (
    <nav className="crumbs" aria-label="Ancestors">
      {chain.map((n, i) => (
        <span key={n.id} className="crumb">
          {i > 0 && <span className="muted"> › </span>}
          <button type="button" className="link-btn" onClick={() => onSelect(n)} aria-current={n.id === id ? 'true' : undefined}>
            <Inert text={n.comm ?? '?'} clip max={24} /> <span className="muted">{n.pid}</span>
          </button>
        </span>
      ))}
    </nav>
  );
}

/** One process: identity, command line, user, container, lifetime, and its events. */
export function ProcessDetails({
  node,
  model,
  events,
  alerts,
  onEvent,
}: {
  node: ProcNode;
  model: TreeModel;
  events: ProcEvents;
  alerts: AlertRow[];
  onEvent(seq: number): void;
}) {
  const change = model.userChange(node.id);
  return (
    <aside className="details" aria-label="Process details">
      <header className="details-head">
        <strong>
          <Inert text={node.comm ?? '?'} clip max={40} />
        </strong>
        <span className="muted">pid {node.pid}</span>
        <ExitBadge n={node} />
      </header>
      {alerts.map((a) => (
        <p key={a.id} className={`alert-inline sev-${a.severity}`}>
          <span className={`sev sev-${a.severity}`}>{a.severity}</span> <strong>{a.title}</strong>
          <br />
          <Inert text={a.message} max={200} />
        </p>
      ))}
      <dl className="kv">
        <dt>Executable</dt>
        <dd className="mono">
          <Inert text={node.exe ?? '—'} />
        </dd>
        <dt>Arguments</dt>
        <dd className="mono argv-list">
          {(node.argv ?? []).map((a, i) => (
            <div key={i}>
              <span className="muted">[{i}]</span> <Inert text={a} />
            </div>
          ))}
        </dd>
        <dt>Working dir</dt>
        <dd className="mono">
          <Inert text={node.cwd ?? '—'} />
        </dd>
        <dt>User</dt>
        <dd>
          uid {userName(node.uid)} · euid {userName(node.euid)}
          {change && (
            <span className="badge badge-priv">
              {userName(change.from)}→{userName(change.to)}
            </span>
          )}
        </dd>
        <dt>Container</dt>
        <dd>
          {node.cid ? (
            <>
              <Inert text={[node.namespace, node.pod, node.container].filter(Boolean).join(' / ') || shortId(node.cid)} />{' '}
              <span className="mono muted">{shortId(node.cid)}</span>
            </>
          ) : (
            'host'
          )}
        </dd>
        <dt>Started</dt>
        <dd>{fmtDateTime(node.start) || '—'}</dd>
        <dt>Exited</dt>
        <dd>{node.exit === null ? 'still running at the end of the capture' : fmtDateTime(node.exit)}</dd>
      </dl>
      <h3>Events of this process</h3>
      {events.state === 'loading' && <p className="muted">Loading…</p>}
      {events.state === 'unavailable' && <p className="muted">{events.message}</p>}
      {events.state === 'ready' && (
        <ul className="plain-list">
          {events.rows.length === 0 && <li className="muted">No events recorded for this process.</li>}
          {events.rows.map((r) => (
            <li key={r.seq}>
              <button type="button" className="link-btn" onClick={() => onEvent(r.seq)}>
                <span className="mono muted">{fmtTime(r.t)}</span> <span className={`kind kind-${r.kind}`}>{kindLabel(r.kind)}</span>{' '}
                <Inert text={r.summary} clip max={120} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
