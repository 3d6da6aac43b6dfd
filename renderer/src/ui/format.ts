/** Times in the store are wall-clock microseconds. */
export function fmtTime(us: number | null | undefined): string {
  if (us === null || us === undefined) return '';
  const d = new Date(us / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function fmtDateTime(us: number | null | undefined): string {
  if (us === null || us === undefined) return '';
  return new Date(us / 1000).toLocaleString();
}

export function fmtDuration(us: number): string {
  if (us < 1000) return `${us} µs`;
  if (us < 1e6) return `${(us / 1000).toFixed(1)} ms`;
  if (us < 60e6) return `${(us / 1e6).toFixed(1)} s`;
  if (us < 3600e6) return `${Math.floor(us / 60e6)} min ${Math.round((us % 60e6) / 1e6)} s`;
  return `${Math.floor(us / 3600e6)} h ${Math.round((us % 3600e6) / 60e6)} min`;
}

export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function shortId(id: string | null | undefined, n = 12): string {
  if (!id) return '';
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, n) : id;
}
