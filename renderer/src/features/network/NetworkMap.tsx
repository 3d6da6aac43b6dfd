import * as d3 from 'd3';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { neutralise } from '../../ui/text';
import type { NetEdge, NetNode } from './graph';

type SimNode = NetNode & d3.SimulationNodeDatum;

/**
 * Force layout computed once per graph (no animation: stable for reading), nodes pulled towards
 * their group (namespace, host, outside). Edges: green allowed, red dashed denied, grey when no
 * policy decides.
 */
export function NetworkMap({ nodes, edges, selected, onEdge, onNode }: { nodes: NetNode[]; edges: NetEdge[]; selected: string | null; onEdge(e: NetEdge): void; onNode(n: NetNode): void }) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 900, h: 560 });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: Math.max(360, el.clientHeight) }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const groups = useMemo(() => [...new Set(nodes.map((n) => n.group))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)), [nodes]);
  const layout = useMemo(() => {
    const sim: SimNode[] = nodes.map((n) => ({ ...n }));
    const gx = (g: string) => ((groups.indexOf(g) + 0.5) / groups.length) * size.w;
    const links = edges.map((e) => ({ source: e.source, target: e.target }));
    const s = d3
      .forceSimulation(sim)
      .force('link', d3.forceLink<SimNode, { source: string; target: string }>(links).id((d) => d.id).distance(150).strength(0.3))
      .force('charge', d3.forceManyBody().strength(-260))
      .force('x', d3.forceX<SimNode>((d) => gx(d.group)).strength(0.5))
      .force('y', d3.forceY(size.h / 2).strength(0.08))
      .force('collide', d3.forceCollide(56))
      .stop();
    for (let i = 0; i < 300; i++) s.tick();
    for (const n of sim) {
      n.x = Math.max(60, Math.min(size.w - 60, n.x ?? 0));
      n.y = Math.max(50, Math.min(size.h - 30, n.y ?? 0));
    }
    return new Map(sim.map((n) => [n.id, n]));
  }, [nodes, edges, groups, size]);

  return (
    <div className="netmap" ref={box}>
      <svg width={size.w} height={size.h} role="img" aria-label="Network map">
        <defs>
          {(['allowed', 'denied', 'unknown'] as const).map((v) => (
            <marker key={v} id={`arrow-${v}`} viewBox="0 0 10 10" refX="26" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto">
              <path d="M0,0 L10,5 L0,10 z" className={`net-arrow verdict-${v}`} />
            </marker>
          ))}
        </defs>
        {groups.map((g, i) => (
          <text key={g} x={((i + 0.5) / groups.length) * size.w} y={20} textAnchor="middle" className="net-group">
            {neutralise(g).slice(0, 40)}
          </text>
        ))}
        {edges.map((e) => {
          const a = layout.get(e.source)!;
          const b = layout.get(e.target)!;
          return (
            <g key={e.id} className={`net-edge verdict-${e.verdict}`} onClick={() => onEdge(e)} data-verdict={e.verdict}>
              <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} markerEnd={`url(#arrow-${e.verdict})`} strokeWidth={Math.min(6, 1.2 + Math.log2(e.count))} />
              <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} className="net-hit" />
              {/* Two directions between the same pair: labels on either side of the line. */}
              <text x={((a.x ?? 0) + (b.x ?? 0)) / 2 + 6} y={((a.y ?? 0) + (b.y ?? 0)) / 2 + (e.source < e.target ? -6 : 12)} textAnchor="start" className="net-port">
                {e.proto}/{e.port}
              </text>
              <title>{`${e.proto}/${e.port} · ${e.count} event(s) · ${e.verdict === 'unknown' ? 'no policy decides' : e.verdict}`}</title>
            </g>
          );
        })}
        {[...layout.values()].map((n) => (
          <g key={n.id} transform={`translate(${n.x},${n.y})`} className={`net-node node-${n.kind} ${selected === n.id ? 'selected' : ''}`} onClick={() => onNode(n)}>
            <circle r={n.kind === 'pod' ? 13 : 10} />
            <text y={26} textAnchor="middle">
              {truncate(neutralise(n.label), 28)}
            </text>
            <title>{neutralise(n.label)}</title>
          </g>
        ))}
      </svg>
    </div>
  );
}

const rank = (g: string) => (g === 'host' ? 1 : g === 'outside' ? 2 : 0);
const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
