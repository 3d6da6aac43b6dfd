import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { InertMarked } from '../../ui/Inert';
import { useFixedRows } from '../../ui/useFixedRows';
import { argvLine } from '../../ui/text';
import { fmtCount, fmtTime, shortId } from '../../ui/format';
import type { TreeModel} from './model';
import { userName, type ProcNode } from './model';

export const TREE_ROW = 26;

export interface SearchHit {
  id: number;
  /** Ancestor ids, root first. */
  path: number[];
}

export interface ProcessTreeProps {
  model: TreeModel;
  /** Bumped whenever the model changes (it is mutable: children load lazily, Expand all runs in chunks). */
  version: number;
  selected: number | null;
  onSelect(n: ProcNode): void;
  /** Show one container alone (its cid), or everything. */
  container: string | null;
  /** Fetch the children of an expanded node whose children are not loaded yet. */
  onNeedKids?(id: number): void;
  /** Load every descendant (Expand all): the nodes are expanded as they arrive. */
  onLoadAll?(): void;
  /** Collapse all was pressed: stop loading every descendant. */
  onCollapseAll?(): void;
  /** Search beyond the loaded nodes; the tree then loads each hit's path before showing it. */
  searchRemote?(q: string): Promise<SearchHit[]>;
  ensurePath?(path: number[]): Promise<void>;
}

/**
 * Host and container processes in one tree, virtualised (only visible rows are in the DOM).
 * Search marks hits and next/previous expands the path to each; the verbose toggle shows the
 * shell start-up commands hidden by default.
 */
export function ProcessTree({ model, version, selected, onSelect, container, onNeedKids, onLoadAll, onCollapseAll, searchRemote, ensurePath }: ProcessTreeProps) {
  // Which nodes are expanded lives in the model (so Expand all can open nodes as they arrive);
  // this counts the changes made here.
  const [expansions, setExpansions] = useState(0);
  const expand = (ids: readonly number[]) => {
    if (ids.every((id) => model.isExpanded(id))) return;
    for (const id of ids) model.setExpanded(id, true);
    setExpansions((x) => x + 1);
  };
  const [verbose, setVerbose] = useState(false);
  const [query, setQuery] = useState('');
  const [hit, setHit] = useState(-1);
  const scroller = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);

  const [remote, setRemote] = useState<SearchHit[] | null>(null);
  const [alone, setAlone] = useState(true);
  /* eslint-disable react-hooks/exhaustive-deps -- `version` stands for the mutable model's content */
  const only = container && alone ? container : null;
  const { rows, hidden } = useMemo(() => model.flatten(verbose, only), [model, verbose, only, version, expansions]);
  const local = useMemo(() => model.search(query, verbose), [model, query, verbose, version]);
  /* eslint-enable react-hooks/exhaustive-deps */
  const matches = remote ? remote.map((h) => h.id) : local;
  const selIndex = useMemo(() => (selected === null ? -1 : rows.indexOf(selected)), [rows, selected]);
  useEffect(() => {
    setRemote(null);
    if (!searchRemote || query.trim().length < 2) return;
    let live = true;
    const t = window.setTimeout(() => void searchRemote(query.trim()).then((h) => live && setRemote(h)), 250);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [query, searchRemote]);
  useEffect(() => {
    if (!onNeedKids) return;
    for (const id of rows.pendingIds()) onNeedKids(id);
  }, [rows, onNeedKids]);

  const v = useFixedRows(scroller, rows.length, TREE_ROW, 8);
  const { scrollToIndex } = v;

  // Rows that arrive above the first visible one (Expand all, children loading) must not move
  // what the responder is reading: keep that row in place.
  const anchor = useRef<{ id: number; index: number } | null>(null);
  const remember = () => {
    const el = scroller.current;
    const index = el ? Math.floor(el.scrollTop / TREE_ROW) : 0;
    const r = rows.at(index);
    anchor.current = r && index > 0 ? { id: r.id, index } : null;
  };
  useLayoutEffect(() => {
    const a = anchor.current;
    const el = scroller.current;
    if (a && el && rows.at(a.index)?.id !== a.id) {
      const at = rows.indexOf(a.id);
      if (at >= 0) el.scrollTop += (at - a.index) * TREE_ROW;
    }
    remember();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the rows change
  }, [rows]);

  const reveal = async (id: number) => {
    const hit = remote?.find((h) => h.id === id);
    if (hit && ensurePath) await ensurePath([...hit.path, id]);
    const node = model.nodes.get(id);
    if (!node) return;
    expand(model.pathTo(id));
    onSelect(node);
  };
  useEffect(() => {
    if (selected === null) return;
    if (selIndex >= 0) scrollToIndex(selIndex);
    else if (model.nodes.has(selected)) {
      // Selected elsewhere (an alert, an event): open the path down to it.
      const path = model.pathTo(selected);
      if (!path.every((p) => model.isExpanded(p))) {
        for (const p of path) model.setExpanded(p, true);
        setExpansions((x) => x + 1);
      }
    }
  }, [selected, selIndex, scrollToIndex, model, version]);

  const go = (dir: 1 | -1) => {
    if (matches.length === 0) return;
    const next = (hit + dir + matches.length) % matches.length;
    setHit(next);
    void reveal(matches[next]!);
  };
  const toggle = (id: number) => {
    model.setExpanded(id, !model.isExpanded(id));
    setExpansions((x) => x + 1);
  };

  const onKey = (e: React.KeyboardEvent) => {
    const i = selIndex;
    const at = (j: number) => rows.at(Math.max(0, Math.min(rows.length - 1, j)));
    const row = i >= 0 ? rows.at(i)! : null;
    const pick = (r: { id: number } | undefined) => r && onSelect(model.nodes.get(r.id)!);
    switch (e.key) {
      case 'ArrowDown':
        pick(at(i + 1));
        break;
      case 'ArrowUp':
        pick(at(i - 1));
        break;
      case 'ArrowRight':
        if (row?.hasKids && !row.expanded) toggle(row.id);
        else pick(at(i + 1));
        break;
      case 'ArrowLeft':
        if (row?.expanded) toggle(row.id);
        else if (row) {
          const p = model.nodes.get(row.id)!.parent;
          if (p !== null && model.nodes.has(p)) pick({ id: p });
        }
        break;
      case 'Home':
        pick(at(0));
        break;
      case 'End':
        pick(at(rows.length - 1));
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div className="ptree">
      <div className="ptree-bar">
        <input
          ref={search}
          className="search"
          type="search"
          placeholder="Find: name, argv, path  (Enter = next, Shift+Enter = previous)"
          aria-label="Find process"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setHit(-1);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              go(e.shiftKey ? -1 : 1);
              e.preventDefault();
            }
          }}
        />
        <span className="muted nowrap" aria-live="polite" data-testid="tree-matches">
          {query ? (matches.length ? `${hit >= 0 ? hit + 1 : 0} of ${fmtCount(matches.length)}` : 'no match') : ''}
        </span>
        <button type="button" className="btn" onClick={() => go(-1)} disabled={!matches.length} aria-label="Previous match">
          ↑
        </button>
        <button type="button" className="btn" onClick={() => go(1)} disabled={!matches.length} aria-label="Next match">
          ↓
        </button>
        <span className="spacer" />
        {container && (
          <label className="check" title="The container selected in the top bar">
            <input type="checkbox" checked={alone} onChange={(e) => setAlone(e.target.checked)} /> Selected container only
          </label>
        )}
        <label className="check" title="Shell start-up commands (locale, tput, dircolors…) are hidden unless verbose">
          <input type="checkbox" checked={verbose} onChange={(e) => setVerbose(e.target.checked)} /> Verbose
          {!verbose && hidden > 0 && <span className="muted"> ({fmtCount(hidden)} hidden)</span>}
        </label>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => {
            model.expandAll();
            setExpansions((x) => x + 1);
            onLoadAll?.();
          }}
        >
          Expand all
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => {
            onCollapseAll?.();
            model.collapseAll();
            setExpansions((x) => x + 1);
          }}
        >
          Collapse all
        </button>
      </div>
      <div
        className="ptree-body"
        ref={scroller}
        tabIndex={0}
        onKeyDown={onKey}
        onScroll={remember}
        role="tree"
        aria-label="Process tree"
        data-testid="tree-scroller"
      >
        <div style={{ height: v.total, position: 'relative' }}>
          {Array.from({ length: Math.max(0, v.end - v.start) }, (_, k) => rows.at(v.start + k)!).map((r, k) => {
            const it = { start: (v.start + k) * TREE_ROW };
            const n = model.nodes.get(r.id)!;
            const change = model.userChange(r.id);
            return (
              <div
                key={r.id}
                role="treeitem"
                aria-level={r.depth + 1}
                aria-expanded={r.hasKids ? r.expanded : undefined}
                aria-selected={selected === r.id}
                className={`ptree-row ${selected === r.id ? 'selected' : ''} ${n.alerts ? 'has-alert' : ''}`}
                style={{ transform: `translateY(${it.start}px)`, paddingLeft: 8 + Math.min(r.depth, 40) * 16 }}
                onClick={() => onSelect(n)}
                data-id={r.id}
              >
                <button
                  type="button"
                  className="twisty"
                  tabIndex={-1}
                  aria-label={r.hasKids ? (r.expanded ? 'Collapse' : 'Expand') : undefined}
                  disabled={!r.hasKids}
                  onClick={(e) => {
                    e.stopPropagation();
                    toggle(r.id);
                  }}
                >
                  {r.pending ? '…' : r.hasKids ? (r.expanded ? '▾' : '▸') : '·'}
                </button>
                {n.alerts > 0 && (
                  <span className="badge badge-alert" title={`${n.alerts} alert(s)`}>
                    ⚠ {n.alerts}
                  </span>
                )}
                <span className="pcomm">
                  <InertMarked text={n.comm ?? '?'} query={query} max={32} />
                </span>
                <span className="ppid muted">{n.pid}</span>
                <span className="pargv">
                  <InertMarked text={argvLine(n.argv) || n.exe || ''} query={query} max={180} />
                </span>
                {change && (
                  <span className="badge badge-priv" title="The user changed here">
                    {userName(change.from)}→{userName(change.to)}
                  </span>
                )}
                <span className={`badge ${n.euid === 0 || n.uid === 0 ? 'badge-root' : 'badge-user'}`} title="User">
                  {userName(n.euid ?? n.uid)}
                </span>
                {n.cid && (
                  <span className="badge badge-ctr" title={`Container ${n.cid}`}>
                    <InertMarked text={n.pod ?? n.container ?? shortId(n.cid)} query="" max={28} />
                  </span>
                )}
                <span className="ptime muted">{fmtTime(n.start)}</span>
                <ExitBadge n={n} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export function ExitBadge({ n }: { n: ProcNode }) {
  if (n.exit === null) return <span className="badge badge-live">running</span>;
  if (n.exitSignal) return <span className="badge badge-bad">signal {n.exitSignal}</span>;
  return <span className={`badge ${n.exitCode ? 'badge-bad' : 'badge-ok'}`}>exit {n.exitCode ?? '?'}</span>;
}
