import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client';
import { Inert } from '../../ui/Inert';
import type { ContainerRow } from '../../../../shared/api';
import { useSelection } from '../../app/selection';
import { EmptyState, ErrorState } from '../../app/states';
import { useUi } from '../../app/store';
import { useApi } from '../../app/useApi';
import { useEventsUi } from '../events/state';
import { fmtCount } from '../../ui/format';
import { applyVerdicts, buildGraph } from './graph';
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
  const base = useMemo(() => (net.state === 'ready' ? buildGraph(net.value.rows, containers) : null), [net, containers]);
  const [source, setSource] = useState<'none' | 'draft' | 'paste'>('none');
  const [pasted, setPasted] = useState('');
  const [verdicts, setVerdicts] = useState<{ audited: Set<string>; denied: Set<number>; note: string } | null>(null);
  const [vError, setVError] = useState<string | null>(null);
  const [workloads] = useApi('policyWorkloads', {}, source !== 'none');
  useEffect(() => {
    setVerdicts(null);
    setVError(null);
    if (source === 'none' || workloads.state !== 'ready') return;
    if (source === 'paste' && pasted.trim().length < 2) return;
    let live = true;
    void (async () => {
      const audited = new Set<string>();
      const denied = new Set<number>();
      for (const w of workloads.value) {
        if (!w.provenance.container) continue;
        let text = pasted;
        if (source === 'draft') {
          const d = await api.call('policyDraft', { workloads: [w.key], kind: 'netpol' });
          if (!d.ok) continue; // no network activity of its own to draft from
          text = d.value.text;
        }
        const a = await api.call('policyAudit', { policy: text, workloads: [w.key] });
        if (!live) return;
        if (!a.ok) return setVError(a.error.message);
        audited.add(w.provenance.container);
        for (const r of a.value) for (const f of r.findings) if (f.what === 'connection') for (const e of f.evidence) if (e.seq !== undefined) denied.add(e.seq);
      }
      if (live) setVerdicts({ audited, denied, note: source === 'draft' ? "each pod's NetworkPolicy draft" : 'the pasted policy' });
    })();
    return () => {
      live = false;
    };
  }, [source, pasted, workloads]);
  const graph = useMemo(
    () => (base ? { ...base, edges: verdicts ? applyVerdicts(base.edges, verdicts.audited, verdicts.denied) : base.edges } : null),
    [base, verdicts],
  );
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
        <label className="field">
          <span className="field-label">Verdicts from</span>
          <select value={source} onChange={(e) => setSource(e.target.value as typeof source)} aria-label="Verdicts from">
            <option value="none">no policy</option>
            <option value="draft">each pod's NetworkPolicy draft</option>
            <option value="paste">a NetworkPolicy I paste</option>
          </select>
        </label>
        <span className="lg lg-allowed">allowed</span>
        <span className="lg lg-denied">denied</span>
        <span className="lg lg-unknown">no policy decides</span>
        <span className="muted" data-testid="verdict-status">
          {vError ? <Inert text={vError} clip max={160} /> : source !== 'none' && !verdicts ? 'Auditing…' : verdicts ? `Verdicts: ${verdicts.note}.` : 'Click an edge for its events.'}
        </span>
      </div>
      {source === 'paste' && (
        <textarea className="paste mono" aria-label="NetworkPolicy to check the connections against" placeholder="Paste a NetworkPolicy (YAML or JSON)" value={pasted} onChange={(e) => setPasted(e.target.value)} />
      )}
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
