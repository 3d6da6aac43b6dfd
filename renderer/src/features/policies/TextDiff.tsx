import { diffLines } from 'diff';
import { useMemo } from 'react';
import { Inert } from '../../ui/Inert';

interface Pair {
  left: { n: number; text: string } | null;
  right: { n: number; text: string } | null;
  change: 'same' | 'removed' | 'added' | 'changed';
}

/** Lines of two documents aligned side by side: removed on the left, added on the right. */
export function alignLines(before: string, after: string): Pair[] {
  const out: Pair[] = [];
  let ln = 1;
  let rn = 1;
  const parts = diffLines(before, after);
  const split = (v: string) => v.replace(/\n$/, '').split('\n');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (!p.added && !p.removed) {
      for (const t of split(p.value)) out.push({ left: { n: ln++, text: t }, right: { n: rn++, text: t }, change: 'same' });
      continue;
    }
    // A removal followed by an addition is a change: pair the lines up.
    const removed = p.removed ? split(p.value) : [];
    const next = parts[i + 1];
    const added = p.added ? split(p.value) : next?.added ? split(next.value) : [];
    if (p.removed && next?.added) i++;
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const l = removed[k];
      const r = added[k];
      out.push({
        left: l === undefined ? null : { n: ln++, text: l },
        right: r === undefined ? null : { n: rn++, text: r },
        change: l !== undefined && r !== undefined ? 'changed' : l !== undefined ? 'removed' : 'added',
      });
    }
  }
  return out;
}

/** Side-by-side rows from a unified diff (`diff -u`): context on both sides, - left, + right. */
export function alignUnified(patch: string): Pair[] {
  const out: Pair[] = [];
  let ln = 0;
  let rn = 0;
  let minus: string[] = [];
  let plus: string[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(minus.length, plus.length); k++) {
      const l = minus[k];
      const r = plus[k];
      out.push({
        left: l === undefined ? null : { n: ++ln, text: l },
        right: r === undefined ? null : { n: ++rn, text: r },
        change: l !== undefined && r !== undefined ? 'changed' : l !== undefined ? 'removed' : 'added',
      });
    }
    minus = [];
    plus = [];
  };
  for (const line of patch.split('\n')) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      flush();
      if (out.length) out.push({ left: { n: 0, text: '⋯' }, right: { n: 0, text: '⋯' }, change: 'same' });
      ln = Number(hunk[1]) - 1;
      rn = Number(hunk[2]) - 1;
    } else if (line.startsWith('---') || line.startsWith('+++') || line.startsWith('===') || line.startsWith('Index:')) continue;
    else if (line.startsWith('-')) minus.push(line.slice(1));
    else if (line.startsWith('+')) plus.push(line.slice(1));
    else if (line.startsWith(' ')) {
      flush();
      out.push({ left: { n: ++ln, text: line.slice(1) }, right: { n: ++rn, text: line.slice(1) }, change: 'same' });
    } else if (line.startsWith('\\')) continue;
  }
  flush();
  return out;
}

export function TextDiff({
  before,
  after,
  patch,
  beforeName,
  afterName,
}: {
  before?: string;
  after?: string;
  /** A unified diff; shown instead of diffing `before` and `after`. */
  patch?: string;
  beforeName: string;
  afterName: string;
}) {
  const rows = useMemo(() => (patch !== undefined ? alignUnified(patch) : alignLines(before ?? '', after ?? '')), [patch, before, after]);
  return (
    <div className="tdiff" role="table" aria-label="Textual diff">
      <div className="tdiff-head" role="row">
        <span role="columnheader">
          <Inert text={beforeName} clip max={60} />
        </span>
        <span role="columnheader">
          <Inert text={afterName} clip max={60} />
        </span>
      </div>
      {rows.map((r, i) => (
        <div key={i} className={`tdiff-row tdiff-${r.change}`} role="row">
          <span className="tdiff-n">{r.left?.n || ''}</span>
          <span className={`tdiff-l ${r.left ? '' : 'tdiff-void'}`} role="cell">
            {r.left && <Inert text={r.left.text} clip max={400} />}
          </span>
          <span className="tdiff-n">{r.right?.n || ''}</span>
          <span className={`tdiff-r ${r.right ? '' : 'tdiff-void'}`} role="cell">
            {r.right && <Inert text={r.right.text} clip max={400} />}
          </span>
        </div>
      ))}
    </div>
  );
}
