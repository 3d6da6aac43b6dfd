import { useThrottledPush } from '../../app/usePush';
import { useApi } from '../../app/useApi';
import { useUi, type View } from '../../app/store';
import { EmptyState, ErrorState } from '../../app/states';
import { useEventsUi } from '../events/state';
import { useSelection } from '../../app/selection';
import { AlertList } from '../alerts/AlertList';

interface Tile {
  key: 'processes' | 'containers' | 'connections' | 'files' | 'alerts' | 'drops' | 'events';
  label: string;
  view: View;
  /** Events kind filter the tile opens with. */
  kind?: string;
  hint: string;
  tone?: 'warn' | 'alert';
}

const TILES: Tile[] = [
  { key: 'events', label: 'Events', view: 'events', hint: 'every event, filterable' },
  { key: 'processes', label: 'Processes', view: 'processes', hint: 'the process tree' },
  { key: 'containers', label: 'Containers', view: 'timeline', hint: 'lanes over time' },
  { key: 'connections', label: 'Connections', view: 'network', hint: 'network map' },
  { key: 'files', label: 'Files opened', view: 'events', kind: 'open', hint: 'file-open events' },
  { key: 'alerts', label: 'Alerts', view: 'processes', hint: 'listed below; open in the tree', tone: 'alert' },
  { key: 'drops', label: 'Dropped events', view: 'start', hint: 'lost by the collector, per capture', tone: 'warn' },
];

export function Overview() {
  const [overview, reload] = useApi('overview', {});
  const setView = useUi((s) => s.setView);
  const [alerts, reloadAlerts] = useApi('alerts', { limit: 200 });
  const selectProcess = useSelection((s) => s.selectProcess);
  const selectEvent = useSelection((s) => s.selectEvent);
  // Many pushes per second during an import: refresh at most twice a second.
  useThrottledPush(['eventsIngested'], 500, () => {
    reload();
    reloadAlerts();
  });

  if (overview.state === 'loading') return <div className="loading" aria-busy="true">Loading…</div>;
  if (overview.state === 'error') return <ErrorState title="The capture cannot be summarised" message={overview.message} onRetry={reload} />;
  const o = overview.value;
  if (o.events === 0)
    return <EmptyState title="Nothing captured yet" hint="Open a capture file (File → Open Capture…, or `tracehound serve <capture>`) or connect to a node." />;
  return (
    <section className="overview">
      <header className="view-header">
        <h1>Overview</h1>
        <p className="muted">
          {o.nodes.join(', ') || 'unknown node'}
          {o.firstTs !== null && o.lastTs !== null && (
            <>
              {' · '}
              {new Date(o.firstTs / 1000).toLocaleString()} → {new Date(o.lastTs / 1000).toLocaleTimeString()}
            </>
          )}
        </p>
      </header>
      <div className="tiles">
        {TILES.map((t) => (
          <button
            key={t.key}
            className={`tile ${t.tone && o[t.key] > 0 ? `tile-${t.tone}` : ''}`}
            onClick={() => {
              if (t.view === 'events') useEventsUi.getState().setFilter({ kind: t.kind ?? null, text: '' });
              setView(t.view);
            }}
            aria-label={`${t.label}: ${o[t.key]}`}
          >
            <span className="tile-value">{o[t.key].toLocaleString()}</span>
            <span className="tile-label">{t.label}</span>
            <span className="tile-hint">{t.hint} →</span>
          </button>
        ))}
      </div>
      <h2 className="section-title">Events by kind</h2>
      <div className="kinds" role="group" aria-label="Events by kind">
        {Object.entries(o.kinds)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => (
            <button
              key={k}
              type="button"
              className="chip-btn"
              onClick={() => {
                useEventsUi.getState().setFilter({ kind: k, text: '' });
                setView('events');
              }}
            >
              <span className={`kind kind-${k}`}>{k}</span> {n.toLocaleString()}
            </button>
          ))}
      </div>
      <h2 className="section-title">Alerts</h2>
      {alerts.state === 'error' && <p className="error-text">Alerts could not be read: {alerts.message}</p>}
      {alerts.state === 'ready' &&
        (alerts.value.length === 0 ? (
          <p className="muted">No detection rule fired on this capture. The process tree and the events are still worth a look.</p>
        ) : (
          <AlertList
            alerts={alerts.value}
            onOpen={(a) => {
              if (a.evidence[0] !== undefined) selectEvent(a.evidence[0]);
              if (a.proc !== null) {
                selectProcess({ id: a.proc, pid: a.pid ?? 0, comm: a.comm ?? '?' });
                setView('processes');
              } else setView('events');
            }}
          />
        ))}
    </section>
  );
}
