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

export function TextDiff({ before, after, beforeName, afterName }: { before: string; after: string; beforeName: string; afterName: string }) {
  const rows = useMemo(() => alignLines(before, after), [before, after]);
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
          <span className="tdiff-n">{r.left?.n ?? ''}</span>
          <span className={`tdiff-l ${r.left ? '' : 'tdiff-void'}`} role="cell">
            {r.left && <Inert text={r.left.text} clip max={400} />}
          </span>
          <span className="tdiff-n">{r.right?.n ?? ''}</span>
          <span className={`tdiff-r ${r.right ? '' : 'tdiff-void'}`} role="cell">
            {r.right && <Inert text={r.right.text} clip max={400} />}
          </span>
        </div>
      ))}
    </div>
  );
}
