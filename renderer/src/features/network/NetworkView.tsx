import { useMemo } from 'react';
import type { ContainerRow } from '../../../../shared/api';
import { useSelection } from '../../app/selection';
import { EmptyState, ErrorState } from '../../app/states';
import { useUi } from '../../app/store';
import { useApi } from '../../app/useApi';
import { useEventsUi } from '../events/state';
import { fmtCount } from '../../ui/format';
import { buildGraph } from './graph';
import { NetworkMap } from './NetworkMap';

const MAX_NET = 5000;

/** Pods, host processes and outside peers with the connections seen in the capture. */
export function NetworkView() {
  const sel = useSelection();
  const setView = useUi((s) => s.setView);
  const [ctrs] = useApi('containers', {});
  const query = { kinds: ['net'], limit: MAX_NET, ...(sel.range ? { from: sel.range.from, to: sel.range.to + 1 } : {}) };
  const [net, reload] = useApi('eventsPage', query);
  const containers = useMemo(
    () => new Map<string, ContainerRow>(ctrs.state === 'ready' ? ctrs.value.containers.map((c) => [c.cid, c]) : []),
    [ctrs],
  );
  const graph = useMemo(() => (net.state === 'ready' ? buildGraph(net.value.rows, containers) : null), [net, containers]);
  if (net.state === 'loading') return <div className="loading">Loading connections…</div>;
  if (net.state === 'error') return <ErrorState title="The network map is not available" message={net.message} onRetry={reload} />;
  if (!graph || graph.edges.length === 0)
    return (
      <EmptyState
        title="No connections seen"
        hint={sel.range ? 'Nothing in the selected time range: clear the range in the top bar.' : 'This capture holds no connect, accept or UDP send events.'}
      />
    );
  return (
    <section className="network-view view-fill">
      <header className="view-header row">
        <h1>Network</h1>
        <p className="muted">
          {fmtCount(graph.nodes.length)} endpoints · {fmtCount(graph.edges.length)} flows from {fmtCount(net.state === 'ready' ? net.value.rows.length : 0)} network events
          {net.state === 'ready' && net.value.next !== null && ` (first ${fmtCount(MAX_NET)}; narrow with a time range)`}
        </p>
      </header>
      <div className="legend">
        <span className="lg lg-allowed">allowed by policy</span>
        <span className="lg lg-denied">denied by policy</span>
        <span className="lg lg-unknown">no policy decides</span>
        <span className="muted">Policy verdicts appear once a NetworkPolicy draft or a loaded policy is available from the Policies view. Click an edge for its events.</span>
      </div>
      <NetworkMap
        nodes={graph.nodes}
        edges={graph.edges}
        selected={sel.container ? `c:${sel.container}` : null}
        onNode={(n) => n.kind === 'pod' && sel.selectContainer(n.id.slice(2))}
        onEdge={(e) => {
          const n = e.source.startsWith('c:') ? e.source : e.target.startsWith('c:') ? e.target : null;
          if (n) sel.selectContainer(n.slice(2));
          sel.selectEvent(e.seq);
          const peerId = e.source.startsWith('a:') ? e.source : e.target.startsWith('a:') ? e.target : null;
          useEventsUi.getState().setFilter({ kind: 'net', text: peerId ? peerId.slice(2) : '' });
          setView('events');
        }}
      />
    </section>
  );
}
