import { useMemo } from 'react';
import { useSelection } from '../../app/selection';
import { EmptyState, ErrorState } from '../../app/states';
import { useUi } from '../../app/store';
import { useApi } from '../../app/useApi';
import { fmtCount, fmtDuration } from '../../ui/format';
import { Timeline, type Marker } from './Timeline';

/** Kinds shown as markers on the lanes: what changes a container's security story. */
const NOTABLE = ['exec', 'cred', 'ptrace', 'module', 'mount', 'ns', 'cap'];
const MAX_MARKERS = 2000;

export function TimelineView() {
  const sel = useSelection();
  const setView = useUi((s) => s.setView);
  const [list, reload] = useApi('containers', { buckets: 400 });
  // Lanes first; the markers follow (a large page must not hold the lanes back).
  const [notable] = useApi('eventsPage', { kinds: NOTABLE, limit: MAX_MARKERS }, list.state !== 'loading');
  const [alerts] = useApi('alerts', { limit: 5000 }, list.state !== 'loading');
  const markers = useMemo<Marker[]>(
    () => [
      ...(notable.state === 'ready'
        ? notable.value.rows.filter((r) => r.cid).map((r) => ({ seq: r.seq, t: r.t, cid: r.cid!, kind: r.kind, label: r.summary }))
        : []),
      ...(alerts.state === 'ready'
        ? alerts.value
            .filter((a) => a.cid && a.evidence[0] !== undefined)
            .map((a) => ({ seq: a.evidence[0]!, t: a.t, cid: a.cid!, kind: 'alert', label: `${a.title}: ${a.message}` }))
        : []),
    ],
    [notable, alerts],
  );
  if (list.state === 'loading') return <div className="loading">Loading containers…</div>;
  if (list.state === 'error') return <ErrorState title="The container timeline is not available" message={list.message} onRetry={reload} />;
  const l = list.value;
  if (l.containers.length === 0)
    return (
      <EmptyState
        title="No containers in this investigation"
        hint="Only host processes were seen. The Processes view shows them; a capture on a node running containers fills this timeline."
      />
    );
  return (
    <section className="timeline-view view-fill">
      <header className="view-header row">
        <h1>Containers</h1>
        <p className="muted">
          {fmtCount(l.containers.length)} containers · activity per {fmtDuration(l.bucketSeconds * 1e6)} · ▲ exec, credential, mount,
          namespace, ptrace, module and capability events · ◆ alerts
          {notable.state === 'ready' && notable.value.next !== null && ` (first ${fmtCount(MAX_MARKERS)} shown)`}
        </p>
      </header>
      <Timeline
        list={l}
        markers={markers}
        range={sel.range}
        selectedCid={sel.container}
        onRange={sel.selectRange}
        onLane={sel.selectContainer}
        onMarker={(m) => {
          sel.revealEvent(m.seq);
          sel.selectContainer(m.cid);
          setView('events');
        }}
      />
    </section>
  );
}
