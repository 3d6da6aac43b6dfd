import { useEffect, useState } from 'react';
import type { PushEvents } from '../../../shared/api';
import { api } from '../api/client';

type Progress = PushEvents['progress'];

function fmt(p: Progress): string {
  const n = (x: number) => (p.unit === 'bytes' ? `${(x / 1048576).toFixed(1)} MiB` : x.toLocaleString());
  const total = p.total ? ` / ${n(p.total)}` : '';
  const eta = p.etaSeconds ? ` · ${Math.ceil(p.etaSeconds)} s left` : '';
  if (p.stage) return `${p.stage}${eta}`;
  return `${n(p.done)}${total}${eta}`;
}

/** Progress of long work (imports, uploads) with cancel; finished jobs fade after a moment. */
export function JobsBar() {
  const [jobs, setJobs] = useState<Record<string, Progress>>({});
  useEffect(() => {
    const ctl = new AbortController();
    api.on(
      'progress',
      (p) => {
        setJobs((j) => ({ ...j, [p.job]: p }));
        if (p.finished && !p.error) {
          window.setTimeout(() => setJobs(({ [p.job]: _gone, ...rest }) => rest), 4000);
        }
      },
      ctl.signal,
    );
    return () => ctl.abort();
  }, []);
  const list = Object.values(jobs);
  if (list.length === 0) return null;
  return (
    <div className="jobs" role="status" aria-live="polite">
      {list.map((p) => (
        <div key={p.job} className={`job ${p.error ? 'job-failed' : ''}`}>
          <span className="job-label">{p.label}</span>
          {p.total ? <progress max={p.total} value={p.done} /> : null}
          <span className="mono">{p.error ? p.error : p.finished ? 'done' : fmt(p)}</span>
          {!p.finished && (
            <button className="btn btn-ghost" onClick={() => void api.call('cancelJob', { job: p.job })}>
              Cancel
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
