import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

/**
 * Virtualisation for rows of one fixed height: the visible range is arithmetic (no per-row
 * measurement, so a list of a million rows costs the same as one of a hundred). Re-renders only
 * when the first or last visible row changes.
 */
export function useFixedRows(scroller: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan = 8) {
  const [range, setRange] = useState({ start: 0, end: 0 });
  const update = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const first = Math.floor(el.scrollTop / rowHeight);
    const visible = Math.ceil(el.clientHeight / rowHeight) + 1;
    const start = Math.max(0, first - overscan);
    const end = Math.min(count, first + visible + overscan);
    setRange((r) => (r.start === start && r.end === end ? r : { start, end }));
  }, [scroller, count, rowHeight, overscan]);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, [scroller, update]);
  const scrollToIndex = useCallback(
    (i: number) => {
      const el = scroller.current;
      if (!el) return;
      const top = i * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    },
    [scroller, rowHeight],
  );
  return { start: range.start, end: Math.min(range.end, count), total: count * rowHeight, scrollToIndex };
}
