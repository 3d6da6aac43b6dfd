import * as d3 from 'd3';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ContainerList, ContainerRow } from '../../../../shared/api';
import type { TimeRange } from '../../app/selection';
import { neutralise } from '../../ui/text';
import { fmtTime, shortId } from '../../ui/format';

export interface Marker {
  seq: number;
  t: number;
  cid: string;
  kind: string;
  label: string;
}

export interface TimelineProps {
  list: ContainerList;
  markers: Marker[];
  range: TimeRange | null;
  selectedCid: string | null;
  onRange(r: TimeRange | null): void;
  onLane(cid: string | null): void;
  onMarker(m: Marker): void;
}

const LABEL_W = 230;
const LANE_H = 40;
const GROUP_H = 24;
const AXIS_H = 26;

type Line = { type: 'group'; name: string; count: number } | { type: 'lane'; c: ContainerRow };

export function laneName(c: ContainerRow): string {
  return c.pod ? `${c.pod}${c.name && c.name !== c.pod ? ` / ${c.name}` : ''}` : (c.name ?? shortId(c.cid));
}

/** Containers grouped by namespace (host-level and unlabelled containers last). */
export function groupLines(list: readonly ContainerRow[]): Line[] {
  const groups = d3.group(list, (c) => c.namespace ?? '');
  const names = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
  const out: Line[] = [];
  for (const n of names) {
    const cs = groups.get(n)!.sort((a, b) => (a.firstT ?? 0) - (b.firstT ?? 0));
    out.push({ type: 'group', name: n || 'no namespace (runc, docker, podman…)', count: cs.length });
    for (const c of cs) out.push({ type: 'lane', c });
  }
  return out;
}

/**
 * Lanes per container: lifetime bar, activity density per bucket, notable events as markers.
 * Drag to select a time range (every view filters by it); zoom into it; click a lane to select
 * its container.
 */
export function Timeline({ list, markers, range, selectedCid, onRange, onLane, onMarker }: TimelineProps) {
  const box = useRef<HTMLDivElement>(null);
  const brushG = useRef<SVGGElement>(null);
  const axisG = useRef<SVGGElement>(null);
  const [width, setWidth] = useState(900);
  const full = useMemo(() => extent(list), [list]);
  const [zoom, setZoom] = useState<[number, number] | null>(null);
  const domain = zoom ?? full;
  const lines = useMemo(() => groupLines(list.containers), [list]);
  const height = AXIS_H + lines.reduce((h, l) => h + (l.type === 'group' ? GROUP_H : LANE_H), 0);
  const right = Math.max(LABEL_W + 100, width - 12);
  const x = useMemo(() => d3.scaleLinear().domain(domain).range([LABEL_W, right]), [domain, right]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!axisG.current) return;
    const axis = d3
      .axisTop<number>(x)
      .ticks(Math.max(2, Math.floor((width - LABEL_W) / 110)))
      .tickFormat((v) => fmtTime(Number(v)).slice(0, 8 + (domain[1] - domain[0] < 10e6 ? 4 : 0)));
    d3.select(axisG.current).call(axis);
  }, [x, width, domain]);

  // The brush: d3 owns its overlay; the selection is mirrored from the shared range.
  const onRangeRef = useRef(onRange);
  onRangeRef.current = onRange;
  useEffect(() => {
    if (!brushG.current) return;
    const brush = d3
      .brushX()
      .extent([
        [LABEL_W, AXIS_H],
        [right, height],
      ])
      .on('end', (ev: d3.D3BrushEvent<unknown>) => {
        if (!ev.sourceEvent) return;
        const s = ev.selection as [number, number] | null;
        onRangeRef.current(s ? { from: Math.round(x.invert(s[0])), to: Math.round(x.invert(s[1])) } : null);
      });
    const g = d3.select(brushG.current);
    g.call(brush);
    if (range) {
      const a = Math.max(LABEL_W, x(range.from));
      const b = Math.min(right, x(range.to));
      if (b > a) g.call(brush.move, [a, b]);
      else g.call(brush.move, null);
    } else g.call(brush.move, null);
    return () => {
      g.on('.brush', null);
    };
  }, [x, right, height, range]);

  let y = AXIS_H;
  const maxAct = d3.max(list.containers, (c) => d3.max(c.activity) ?? 0) || 1;
  return (
    <div className="timeline">
      <div className="timeline-bar">
        <span className="muted">Drag across the lanes to select a time range; click a lane to select its container.</span>
        <span className="spacer" />
        <button type="button" className="btn" disabled={!range} onClick={() => range && setZoom([range.from, range.to])}>
          Zoom to range
        </button>
        <button type="button" className="btn" disabled={!zoom} onClick={() => setZoom(null)}>
          Reset zoom
        </button>
        <button type="button" className="btn btn-ghost" disabled={!range} onClick={() => onRange(null)}>
          Clear range
        </button>
      </div>
      <div className="timeline-body" ref={box}>
        <svg width={width} height={height} role="img" aria-label="Container timeline" className="timeline-svg">
          <defs>
            <clipPath id="tl-clip">
              <rect x={LABEL_W} y={0} width={Math.max(0, right - LABEL_W)} height={height} />
            </clipPath>
          </defs>
          <g ref={axisG} transform={`translate(0, ${AXIS_H - 2})`} className="axis" />
          {lines.map((l) => {
            const top = y;
            if (l.type === 'group') {
              y += GROUP_H;
              return (
                <g key={`g:${l.name}`} transform={`translate(0, ${top})`}>
                  <rect x={0} y={0} width={width} height={GROUP_H} className="tl-group" />
                  <text x={8} y={16} className="tl-group-text">
                    {neutralise(l.name).slice(0, 60)} · {l.count}
                  </text>
                </g>
              );
            }
            y += LANE_H;
            const c = l.c;
            const sel = c.cid === selectedCid;
            const name = neutralise(laneName(c));
            const x0 = c.firstT === null ? null : x(c.firstT);
            const x1 = c.lastT === null ? null : x(c.lastT);
            return (
              <g key={c.cid} transform={`translate(0, ${top})`} className={`tl-lane ${sel ? 'selected' : ''}`} data-cid={c.cid}>
                <rect x={0} y={0} width={width} height={LANE_H} className="tl-lane-bg" onClick={() => onLane(sel ? null : c.cid)} />
                <text x={14} y={24} className="tl-label" onClick={() => onLane(sel ? null : c.cid)}>
                  <title>{`${name}\n${neutralise(c.image ?? '')}\n${neutralise(c.cid)}\n${c.events} events, ${c.processes} processes`}</title>
                  {name.length > 30 ? `${name.slice(0, 29)}…` : name}
                </text>
                <g clipPath="url(#tl-clip)">
                  {x0 !== null && x1 !== null && <rect x={x0} y={6} width={Math.max(2, x1 - x0)} height={7} rx={3} className="tl-life" />}
                  {list.bucketsFrom !== null && <path d={activityPath(c.activity, list.bucketsFrom, list.bucketSeconds, x, maxAct)} className="tl-act" />}
                </g>
              </g>
            );
          })}
          <g ref={brushG} className="tl-brush" />
          <g clipPath="url(#tl-clip)">
            {markers.map((m) => {
              const i = lines.findIndex((l) => l.type === 'lane' && l.c.cid === m.cid);
              if (i < 0) return null;
              const top = AXIS_H + lines.slice(0, i).reduce((h, l) => h + (l.type === 'group' ? GROUP_H : LANE_H), 0);
              const mx = x(m.t);
              const alert = m.kind === 'alert';
              return (
                <path
                  key={`${m.kind}:${m.seq}`}
                  d={alert ? `M${mx},${top + 14} l6,6 l-6,6 l-6,-6 z` : `M${mx},${top + 3} l4,7 l-8,0 z`}
                  className={`tl-marker kind-${m.kind}`}
                  onClick={() => onMarker(m)}
                  data-seq={m.seq}
                >
                  <title>{`${fmtTime(m.t)} ${m.kind}: ${neutralise(m.label).slice(0, 200)}`}</title>
                </path>
              );
            })}
          </g>
        </svg>
      </div>
    </div>
  );
}

/** Activity of one lane as a single path of bars (one element per lane, not per bucket). */
function activityPath(activity: readonly number[], from: number, bucketSeconds: number, x: d3.ScaleLinear<number, number>, max: number): string {
  const w = Math.max(1, x(from + bucketSeconds * 1e6) - x(from) - 0.5);
  let d = '';
  for (let i = 0; i < activity.length; i++) {
    const n = activity[i]!;
    if (n <= 0) continue;
    const h = Math.max(2, (n / max) * 22);
    d += `M${x(from + i * bucketSeconds * 1e6).toFixed(1)},${LANE_H - 3}v${(-h).toFixed(1)}h${w.toFixed(1)}v${h.toFixed(1)}z`;
  }
  return d;
}

function extent(list: ContainerList): [number, number] {
  const lo = d3.min(list.containers, (c) => c.firstT) ?? list.bucketsFrom ?? 0;
  const hi = d3.max(list.containers, (c) => c.lastT) ?? lo + 1e6;
  const pad = Math.max(1e5, (hi - lo) * 0.02);
  return [lo - pad, hi + pad];
}
