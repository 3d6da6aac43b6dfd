import { Inert } from '../ui/Inert';
import { fmtTime, shortId } from '../ui/format';
import { useSelection } from './selection';

/** What is selected, shared by every view; each chip clears its part. */
export function SelectionBar() {
  const s = useSelection();
  if (!s.process && !s.container && !s.range) return null;
  return (
    <div className="selbar" aria-label="Selection">
      <span className="muted">Selected:</span>
      {s.process && (
        <button type="button" className="chip" onClick={() => s.selectProcess(null)} title="Clear process selection">
          {s.subtree ? 'subtree ' : ''}
          <Inert text={s.process.comm} clip max={24} /> {s.process.pid} ×
        </button>
      )}
      {s.container && (
        <button type="button" className="chip" onClick={() => s.selectContainer(null)} title="Clear container selection">
          ctr <Inert text={shortId(s.container)} clip max={24} /> ×
        </button>
      )}
      {s.range && (
        <button type="button" className="chip" onClick={() => s.selectRange(null)} title="Clear time range">
          {fmtTime(s.range.from)}–{fmtTime(s.range.to)} ×
        </button>
      )}
    </div>
  );
}
