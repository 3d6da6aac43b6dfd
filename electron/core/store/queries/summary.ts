import { KINDS, isEventKind } from '../../../../shared/events';

const MAX_SUMMARY = 300;

function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(show).join(' ');
  if (typeof v === 'object') {
    // counters (stats, bye): their total says more than their JSON
    let n = 0;
    for (const x of Object.values(v)) if (typeof x === 'number') n += x;
    return String(n);
  }
  return String(v);
}

/** The one-line summary of an event, from its kind's template in shared/events.ts. */
export function summarize(kind: string, data: Record<string, unknown>): string {
  if (!isEventKind(kind)) return `unknown kind ${kind}`;
  const s = KINDS[kind].summary.replace(/\{(\w+)\}/g, (_m, f: string) => show(data[f])).replace(/\s+/g, ' ').trim();
  return s.length > MAX_SUMMARY ? s.slice(0, MAX_SUMMARY - 1) + '…' : s;
}
