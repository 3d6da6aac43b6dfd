import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AlertRow, ContainerRow } from '../../../../shared/api';
import { api } from '../../api/client';
import { useSelection } from '../../app/selection';
import { EmptyState, ErrorState } from '../../app/states';
import { useUi } from '../../app/store';
import { useApi } from '../../app/useApi';
import { useEventsUi } from '../events/state';
import { fmtCount } from '../../ui/format';
import { toNode } from './data';
import { TreeModel } from './model';
import { Breadcrumb, ProcessDetails, type ProcEvents } from './ProcessDetails';
import { ProcessTree, type SearchHit } from './ProcessTree';

const PRIME_NODES = 2000;

/** Host and container processes in one tree, fed lazily by the store's process queries. */
export function ProcessesView() {
  const sel = useSelection();
  const setView = useUi((s) => s.setView);
  const [ctrs] = useApi('containers', {});
  const [roots, reload] = useApi('processRoots', { limit: 10000 });
  const [alertList] = useApi('alerts', { limit: 5000 });
  const alertsByProc = useMemo(() => {
    const m = new Map<number, AlertRow[]>();
    if (alertList.state === 'ready') for (const a of alertList.value) if (a.proc !== null) m.set(a.proc, [...(m.get(a.proc) ?? []), a]);
    return m;
  }, [alertList]);
  const alertCounts = useMemo(() => new Map([...alertsByProc].map(([k, v]) => [k, v.length])), [alertsByProc]);
  const containers = useMemo(
    () => new Map<string, ContainerRow>(ctrs.state === 'ready' ? ctrs.value.containers.map((c) => [c.cid, c]) : []),
    [ctrs],
  );
  const model = useRef<TreeModel | null>(null);
  const [version, setVersion] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const inflight = useRef(new Set<number>());
  const [details, setDetails] = useState<ProcEvents>({ state: 'loading' });

  const [primed, setPrimed] = useState(false);
  if (roots.state === 'ready' && ctrs.state !== 'loading' && alertList.state !== 'loading') {
    model.current ??= new TreeModel(roots.value.map((p) => toNode(p, containers, alertCounts)), false);
  }
  const m = model.current;
  useEffect(() => {
    // Small investigations load whole (so the tree opens expanded); big ones load level by level.
    if (!m || primed) return;
    let live = true;
    void (async () => {
      let budget = PRIME_NODES;
      for (const id of m.roots.slice(0, 50)) {
        if (budget <= 0) break;
        const r = await api.call('processSubtree', { id, limit: budget });
        if (!live) return;
        if (!r.ok) break;
        budget -= r.value.length;
        if (budget > 0) m.add(r.value.map((p) => toNode(p, containers, alertCounts)), true);
      }
      if (live) setPrimed(true);
    })();
    return () => {
      live = false;
    };
  }, [m, primed, containers, alertCounts]);

  const needKids = useCallback(
    (id: number) => {
      if (!m || inflight.current.has(id)) return;
      inflight.current.add(id);
      void api.call('processChildren', { id, limit: 10000 }).then((r) => {
        inflight.current.delete(id);
        if (!r.ok) return setFailure(r.error.message);
        m.setKids(
          id,
          r.value.map((p) => toNode(p, containers, alertCounts)),
        );
        setVersion((v) => v + 1);
      });
    },
    [m, containers, alertCounts],
  );
  const loadAll = useCallback(async () => {
    if (!m) return;
    // Whole subtrees of every root not loaded yet, a few requests in flight at a time.
    const todo = m.roots.filter((id) => m.hasKids(id));
    const worker = async () => {
      for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
        const r = await api.call('processSubtree', { id, limit: 50000 });
        if (!r.ok) return setFailure(r.error.message);
        m.add(
          r.value.map((p) => toNode(p, containers, alertCounts)),
          true,
        );
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    setVersion((v) => v + 1);
  }, [m, containers, alertCounts]);
  const searchRemote = useCallback(async (text: string): Promise<SearchHit[]> => {
    const r = await api.call('processSearch', { text, limit: 1000 });
    return r.ok ? r.value.map((h) => ({ id: h.process.id, path: h.path })) : [];
  }, []);
  const ensurePath = useCallback(
    async (path: number[]) => {
      if (!m) return;
      for (const id of path.slice(0, -1)) {
        if (m.kidsLoaded(id)) continue;
        const r = await api.call('processChildren', { id, limit: 10000 });
        if (r.ok)
          m.setKids(
            id,
            r.value.map((p) => toNode(p, containers, alertCounts)),
          );
      }
      setVersion((v) => v + 1);
    },
    [m, containers, alertCounts],
  );

  const selected = sel.process?.id ?? null;
  useEffect(() => {
    if (selected === null) return;
    let live = true;
    setDetails({ state: 'loading' });
    void api.call('processDetails', { id: selected, limit: 200 }).then((r) => {
      if (!live) return;
      if (!r.ok) return setDetails({ state: 'unavailable', message: r.error.message });
      setDetails({ state: 'ready', rows: r.value.events.rows });
      if (m && !m.nodes.has(selected)) {
        m.add([...r.value.ancestors, r.value.process].map((p) => toNode(p, containers, alertCounts)));
        setVersion((v) => v + 1);
      }
    });
    return () => {
      live = false;
    };
  }, [selected, m, containers, alertCounts]);

  if (roots.state === 'loading' || (m && !primed)) return <div className="loading">Loading processes…</div>;
  if (roots.state === 'error')
    return (
      <ErrorState
        title="The process tree is not available"
        message={roots.message}
        hint={roots.code === 'unavailable' ? 'Open a capture from Start, or connect to a node.' : undefined}
        onRetry={reload}
      />
    );
  if (!m || m.size === 0)
    return <EmptyState title="No processes in this investigation" hint="Open a capture from Start, or connect to a node to record one." />;

  const node = selected !== null ? m.nodes.get(selected) : undefined;
  const onSelect = (n: { id: number; pid: number; comm: string | null }) => sel.selectProcess({ id: n.id, pid: n.pid, comm: n.comm ?? '?' }, sel.subtree);
  const showEvents = (subtree: boolean) => {
    if (!node) return;
    sel.selectProcess({ id: node.id, pid: node.pid, comm: node.comm ?? '?' }, subtree);
    useEventsUi.getState().setFilter({ kind: null, text: '' });
    setView('events');
  };
  return (
    <section className="processes-view view-fill">
      <header className="view-header row">
        <h1>Processes</h1>
        <p className="muted">
          {fmtCount(m.size)} loaded{sel.container ? ' · one container' : ''}
        </p>
        {failure && <p className="error-text">{failure}</p>}
        <span className="spacer" />
        {node && (
          <>
            <button type="button" className="btn" onClick={() => showEvents(false)}>
              Events of this process
            </button>
            <button type="button" className="btn" onClick={() => showEvents(true)}>
              Events of its subtree
            </button>
          </>
        )}
      </header>
      {node && <Breadcrumb model={m} id={node.id} onSelect={onSelect} />}
      <div className="split">
        <ProcessTree
          model={m}
          version={version}
          selected={selected}
          onSelect={onSelect}
          container={sel.container}
          onNeedKids={needKids}
          onLoadAll={loadAll}
          searchRemote={searchRemote}
          ensurePath={ensurePath}
        />
        {node && <ProcessDetails node={node} model={m} events={details} alerts={alertsByProc.get(node.id) ?? []} onEvent={(seq) => {
              sel.selectEvent(seq);
              showEvents(false);
            }} />}
      </div>
    </section>
  );
}
