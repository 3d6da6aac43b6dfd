/**
 * Strings from a node (argv, paths, container names, comm) are hostile. They are only ever
 * rendered as React text nodes; on top of that, characters that could mislead a reader are
 * made visible: bidi overrides and isolates (which reorder text, e.g. "exe.txt" shown for
 * "txt.exe"), zero-width characters, and control bytes.
 */

const BIDI_NAMES: Record<number, string> = {
  0x061c: 'ALM',
  0x200e: 'LRM',
  0x200f: 'RLM',
  0x202a: 'LRE',
  0x202b: 'RLE',
  0x202c: 'PDF',
  0x202d: 'LRO',
  0x202e: 'RLO',
  0x2066: 'LRI',
  0x2067: 'RLI',
  0x2068: 'FSI',
  0x2069: 'PDI',
  0x200b: 'ZWSP',
  0x200c: 'ZWNJ',
  0x200d: 'ZWJ',
  0x2060: 'WJ',
  0xfeff: 'BOM',
};

// eslint-disable-next-line no-control-regex
export const SUSPICIOUS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;
// eslint-disable-next-line no-control-regex
const SUSPICIOUS_G = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/** The visible marker standing for one suspicious character. */
export function markerFor(ch: string): string {
  const c = ch.charCodeAt(0);
  // Escapes in plain ASCII: every monospace font has them (Control Pictures often are missing).
  const named: Record<number, string> = { 0: '\\0', 9: '\\t', 10: '\\n', 13: '\\r' };
  if (c <= 0x9f) return named[c] ?? `\\x${c.toString(16).padStart(2, '0')}`;
  return `⟨${BIDI_NAMES[c] ?? `U+${c.toString(16).toUpperCase()}`}⟩`;
}

export type Piece = { text: string; marker: false } | { text: string; marker: true; code: number };

/** Splits a string into plain runs and markers (for rendering markers distinctly). */
export function pieces(s: string, keepNewlines = false): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  SUSPICIOUS_G.lastIndex = 0;
  for (let m = SUSPICIOUS_G.exec(s); m; m = SUSPICIOUS_G.exec(s)) {
    if (keepNewlines && m[0] === '\n') continue;
    if (m.index > last) out.push({ text: s.slice(last, m.index), marker: false });
    out.push({ text: markerFor(m[0]), marker: true, code: m[0].charCodeAt(0) });
    last = m.index + 1;
  }
  if (last < s.length) out.push({ text: s.slice(last), marker: false });
  return out;
}

/** A plain-text rendition with markers, for titles, copy and search. */
export function neutralise(s: string): string {
  return s.replace(SUSPICIOUS_G, markerFor);
}

/** argv as one line: arguments with spaces or markers quoted, like a shell would show them. */
export function argvLine(argv: readonly string[] | null | undefined): string {
  if (!argv) return '';
  return argv.map((a) => (a === '' || /[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}
