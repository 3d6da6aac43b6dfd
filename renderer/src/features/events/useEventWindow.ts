/**
 * Windowed keyset paging over the store's events. Rows arrive in pages (`after` = last seq seen)
 * as the responder scrolls. One window holds at most WINDOW_ROWS rows (~5 M px at 24 px a row,
 * far below Chromium's ~33 M px element-height limit); past it the table offers the next window
 * and remembers each window's anchor to go back. Nothing is ever cut silently.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventRow } from '../../../../shared/api';
import { api } from '../../api/client';
import { useThrottledPush } from '../../app/usePush';
import type { PageQuery } from './filters';

export const FIRST_PAGE = 200;
export const PAGE = 2000;
export const WINDOW_ROWS = 200_000;

export interface EventWindow {
  rows: EventRow[];
  /** More rows exist after this window's last loaded row (unknown until a page says so). */
  more: boolean;
  loading: boolean;
  error: { code: string; message: string } | null;
  /** 0-based window number, and the number of rows in the windows before it. */
  window: number;
  offset: number;
  /** The window is full and more rows exist: the next window must be opened explicitly. */
  full: boolean;
  /** Bumped on every change of rows (for memoised views). */
  version: number;
}

interface Inner {
  gen: number;
  rows: EventRow[];
  next: string | null;
  started: boolean;
  loading: boolean;
  error: { code: string; message: string } | null;
  anchors: Array<string | undefined>;
  offsets: number[];
  window: number;
}

const fresh = (gen: number): Inner => ({ gen, rows: [], next: null, started: false, loading: false, error: null, anchors: [undefined], offsets: [0], window: 0 });

export function useEventWindow(query: PageQuery) {
  const key = JSON.stringify(query);
  const inner = useRef<Inner>(fresh(0));
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  const loadPage = useCallback(
    async (limit: number) => {
      const s = inner.current;
      if (s.loading || (s.started && s.next === null) || s.rows.length >= WINDOW_ROWS) return;
      const gen = s.gen;
      s.loading = true;
      bump();
      const after = s.started ? s.next! : s.anchors[s.window];
      const q: PageQuery = { ...(JSON.parse(key) as PageQuery), limit: Math.min(limit, WINDOW_ROWS - s.rows.length) };
      if (after !== undefined) q.after = after;
      const r = await api.call('eventsPage', q);
      const now = inner.current;
      if (now.gen !== gen) return;
      now.loading = false;
      now.started = true;
      if (r.ok) {
        // Concatenation of a new array keeps earlier renders consistent (React reads a snapshot).
        now.rows = now.rows.length === 0 ? r.value.rows : now.rows.concat(r.value.rows);
        now.next = r.value.next;
        now.error = null;
      } else {
        now.error = { code: r.error.code, message: r.error.message };
        now.next = null;
      }
      bump();
    },
    [key, bump],
  );

  useEffect(() => {
    inner.current = fresh(inner.current.gen + 1);
    bump();
    void loadPage(FIRST_PAGE);
  }, [key, loadPage, bump]);

  // While a capture is imported or a session streams, rows keep arriving after the end we saw:
  // at most once a second, ask again from the last row (keyset paging makes that exact).
  useThrottledPush(['eventsIngested'], 1000, () => {
    const s = inner.current;
    if (!s.started || s.loading || s.next !== null || s.error || s.rows.length >= WINDOW_ROWS) return;
    const last = s.rows[s.rows.length - 1];
    if (last) s.next = cursorOf(last);
    else s.started = false;
    void loadPage(PAGE);
  });

  /** Loads pages until `index` is covered (plus a margin), within the current window. */
  const ensure = useCallback(
    (index: number) => {
      const s = inner.current;
      if (!s.loading && s.started && s.next !== null && index + PAGE / 2 >= s.rows.length) void loadPage(PAGE);
    },
    [loadPage],
  );

  const openWindow = useCallback(
    (dir: 1 | -1) => {
      const s = inner.current;
      const target = s.window + dir;
      if (target < 0) return;
      if (dir === 1) {
        if (s.next === null) return;
        const lastRow = s.rows[s.rows.length - 1];
        s.anchors[target] = lastRow ? cursorOf(lastRow) : s.next;
        s.offsets[target] = s.offsets[s.window]! + s.rows.length;
      }
      const keep = { anchors: s.anchors, offsets: s.offsets };
      inner.current = { ...fresh(s.gen + 1), ...keep, window: target };
      bump();
      void loadPage(FIRST_PAGE);
    },
    [loadPage, bump],
  );

  const s = inner.current;
  const win: EventWindow = {
    rows: s.rows,
    more: !s.started || s.next !== null,
    loading: s.loading || !s.started,
    error: s.error,
    window: s.window,
    offset: s.offsets[s.window] ?? 0,
    full: s.rows.length >= WINDOW_ROWS && s.next !== null,
    version,
  };
  return { win, ensure, openWindow };
}

/** The store's keyset cursor of a row ("t:seq"). */
export function cursorOf(r: EventRow): string {
  return `${r.t}:${r.seq}`;
}
