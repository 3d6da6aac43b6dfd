import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AlertRow, ApiResult, ContainerRow, ProcessRow, ProcessSubtreePage } from '../../../../shared/api';
import { api } from '../../api/client';
import { useSelection } from '../../app/selection';
import { EmptyState, ErrorState } from '../../app/states';
import { useUi } from '../../app/store';
import { useApi } from '../../app/useApi';
import { useEventsUi } from '../events/state';
import { fmtCount } from '../../ui/format';
import { FrameSlicer } from '../../ui/frames';
import { toNode } from './data';
import { TreeModel } from './model';
import { Breadcrumb, ProcessDetails, type ProcEvents } from './ProcessDetails';
import { ProcessTree, type SearchHit } from './ProcessTree';

const PRIME_NODES = 2000;
/** Processes per subtree page of Expand all (about 0.7 MB of JSON: parsed well within a frame). */
const SUBTREE_PAGE = 2000;
/** Subtree requests in flight during Expand all. */
const SUBTREE_WORKERS = 4;
/** Rows turned into nodes between two looks at the clock. */
const MERGE_CHUNK = 100;
/** While Expand all runs, the tree is drawn again at most this often (ms). */
const RENDER_MS = 100;
/** Fetched rows waiting to be merged before the walks pause. */
const QUEUE_ROWS = 8000;

interface Expanding {
  /** Processes in the investigation (the progress's end), once known. */
  total: number | null;
}

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
        budget -= r.value.rows.length;
        if (budget > 0) m.add(r.value.rows.map((p) => toNode(p, containers, alertCounts)), true);
      }
      if (!live) return;
      m.expandInitial();
      setPrimed(true);
    })();
    return () => {
      live = false;
    };
  }, [m, primed, containers, alertCounts]);

  // Expand all in progress: the run's stop flag (read by the loaders between pages and chunks).
  const run = useRef<{ stopped: boolean; notify(): void } | null>(null);
  const [expanding, setExpanding] = useState<Expanding | null>(null);
  const stopExpanding = useCallback(() => {
    if (!run.current) return;
    run.current.stopped = true;
    run.current.notify();
  }, []);
  useEffect(() => stopExpanding, [stopExpanding]);

  const needKids = useCallback(
    (id: number) => {
      // While Expand all runs, its walk brings the children; it fetches what it left once it ends.
      if (!m || inflight.current.has(id) || run.current) return;
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
  /**
   * Expand all: every root's subtree, page by page in tree order, merged into the model in slices
   * of a few milliseconds with a frame painted between them. Nodes open as they arrive, so the
   * tree fills in while the responder scrolls and reads it; Stop (or Collapse all) ends the walk.
   */
  const loadAll = useCallback(() => {
    if (!m || run.current) return;
    // Pages are fetched ahead (a walk asks for its next page as soon as it has the cursor) and
    // merged by one loop in slices, so neither waits for the other more than it must.
    const waiters: Array<() => void> = [];
    const notify = () => {
      for (const w of waiters.splice(0)) w();
    };
    const changed = () => new Promise<void>((resolve) => waiters.push(resolve));
    const me = { stopped: false, notify };
    run.current = me;
    setExpanding({ total: null });
    void api.call('overview', {}).then((r) => {
      if (r.ok && run.current === me) setExpanding({ total: r.value.processes });
    });
    const slicer = new FrameSlicer();
    // The tree is drawn again at most every RENDER_MS while rows arrive (flattening is O(n)).
    let render: number | undefined;
    const changedTree = () => {
      render ??= window.setTimeout(() => {
        render = undefined;
        setVersion((v) => v + 1);
      }, RENDER_MS);
    };
    const queue: ProcessRow[][] = [];
    let queued = 0;
    let walking = SUBTREE_WORKERS;
    const merger = async () => {
      while (!me.stopped) {
        const rows = queue.shift();
        if (!rows) {
          if (walking === 0) return;
          await changed();
          slicer.begin();
          continue;
        }
        for (let i = 0; i < rows.length && !me.stopped; ) {
          if (slicer.spent) {
            await slicer.nextFrame();
            continue;
          }
          const end = Math.min(rows.length, i + MERGE_CHUNK);
          const chunk: ReturnType<typeof toNode>[] = [];
          const fresh: number[] = [];
          for (; i < end; i++) {
            const n = toNode(rows[i]!, containers, alertCounts);
            // open what arrives (or arrives with its first children); what the responder closed stays closed
            if (n.childCount > 0 && !m.someKidsLoaded(n.id)) fresh.push(n.id);
            chunk.push(n);
          }
          m.add(chunk, true);
          for (const id of fresh) m.setExpanded(id, true);
          changedTree();
        }
        queued -= rows.length;
        notify();
      }
    };
    const todo = m.roots.filter((id) => m.hasKids(id));
    let next = 0;
    const walker = async () => {
      while (!me.stopped && next < todo.length) {
        const id = todo[next++]!;
        m.setExpanded(id, true);
        let after: number | null = null;
        do {
          // Back-pressure: at most a few pages wait to be merged.
          while (queued >= QUEUE_ROWS && !me.stopped) await changed();
          if (me.stopped) break;
          const r: ApiResult<ProcessSubtreePage> = await api.call('processSubtree', after === null ? { id, limit: SUBTREE_PAGE } : { id, after, limit: SUBTREE_PAGE });
          if (me.stopped) break;
          if (!r.ok) {
            setFailure(r.error.message);
            me.stopped = true;
            break;
          }
          queue.push(r.value.rows);
          queued += r.value.rows.length;
          notify();
          after = r.value.next;
        } while (after !== null);
      }
      walking--;
      notify();
    };
    void Promise.all([merger(), ...Array.from({ length: SUBTREE_WORKERS }, walker)]).then(() => {
      window.clearTimeout(render);
      // Stopped: nodes already open whose children are partly loaded get the rest (see needKids).
      run.current = null;
      setExpanding(null);
      setVersion((v) => v + 1);
    });
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
        {expanding && (
          <p className="expanding" role="status" data-testid="expand-progress">
            {expanding.total !== null ? (
              <>
                <progress max={Math.max(expanding.total, m.size)} value={m.size} />
                {`Expanding… ${fmtCount(m.size)} of ${fmtCount(Math.max(expanding.total, m.size))} processes`}
              </>
            ) : (
              `Expanding… ${fmtCount(m.size)} processes`
            )}
            <button type="button" className="btn btn-ghost" onClick={stopExpanding}>
              Stop
            </button>
          </p>
        )}
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
          onCollapseAll={stopExpanding}
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
