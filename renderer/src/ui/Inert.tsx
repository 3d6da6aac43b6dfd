import { useState } from 'react';
import { pieces } from './text';

/** Longest text shown before the expander; very long strings would break every layout. */
export const DEFAULT_MAX = 240;

/**
 * Untrusted text, rendered inert: React text nodes only, suspicious characters shown as visible
 * markers, direction isolated (`<bdi>` + `dir=ltr`), and long strings bounded with an expander.
 */
export function Inert({
  text,
  max = DEFAULT_MAX,
  className,
  clip = false,
  multiline = false,
}: {
  text: string | null | undefined;
  max?: number;
  className?: string;
  /** One-line cells: cut at `max` with an ellipsis and no expander (details show the whole). */
  clip?: boolean;
  /** Our own multi-line text (pretty JSON): newlines stay line breaks. */
  multiline?: boolean;
}) {
  const [open, setOpen] = useState(false);
  if (text === null || text === undefined) return null;
  if (clip) {
    const cut = text.length > max;
    return (
      <bdi dir="ltr" className={`inert ${className ?? ''}`}>
        <Pieces s={cut ? text.slice(0, max) : text} />
        {cut && '…'}
      </bdi>
    );
  }
  const long = text.length > max;
  const shown = long && !open ? text.slice(0, max) : text;
  return (
    <bdi dir="ltr" className={`inert ${long && open ? 'inert-open' : ''} ${className ?? ''}`}>
      <Pieces s={shown} keepNewlines={multiline} />
      {long && (
        <button
          type="button"
          className="inert-more"
          onClick={(e) => {
            e.stopPropagation();
            setOpen(!open);
          }}
          aria-label={open ? 'Show less' : `Show all ${text.length.toLocaleString()} characters`}
        >
          {open ? 'less' : `… +${(text.length - max).toLocaleString()} chars`}
        </button>
      )}
    </bdi>
  );
}

export function Pieces({ s, keepNewlines = false }: { s: string; keepNewlines?: boolean }) {
  return (
    <>
      {pieces(s, keepNewlines).map((p, i) =>
        p.marker ? (
          <span key={i} className="ctl" title={`hidden character U+${p.code.toString(16).toUpperCase().padStart(4, '0')}`}>
            {p.text}
          </span>
        ) : (
          p.text
        ),
      )}
    </>
  );
}

/**
 * Inert text with every case-insensitive occurrence of `query` marked (search hits). Clipped to
 * `max` characters, but a hit past the cut is brought into view.
 */
export function InertMarked({ text, query, max = 200 }: { text: string; query: string; max?: number }) {
  const q = query.toLowerCase();
  let s = text;
  let lead = false;
  if (q && s.length > max) {
    const at = s.toLowerCase().indexOf(q);
    if (at > max - q.length) {
      s = s.slice(Math.max(0, at - 40));
      lead = true;
    }
  }
  const cut = s.length > max;
  if (cut) s = s.slice(0, max);
  const parts: { t: string; hit: boolean }[] = [];
  if (q) {
    const low = s.toLowerCase();
    let i = 0;
    for (let at = low.indexOf(q); at >= 0; at = low.indexOf(q, at + q.length)) {
      if (at > i) parts.push({ t: s.slice(i, at), hit: false });
      parts.push({ t: s.slice(at, at + q.length), hit: true });
      i = at + q.length;
    }
    if (i < s.length) parts.push({ t: s.slice(i), hit: false });
  } else parts.push({ t: s, hit: false });
  return (
    <bdi dir="ltr" className="inert">
      {lead && '…'}
      {parts.map((p, i) =>
        p.hit ? (
          <mark key={i}>
            <Pieces s={p.t} />
          </mark>
        ) : (
          <Pieces key={i} s={p.t} />
        ),
      )}
      {cut && '…'}
    </bdi>
  );
}
