import { useEffect, useState } from 'react';
import type { SessionInfo, SessionPrompt } from '../../../../shared/api';
import { api } from '../../api/client';
import { useThrottledPush } from '../../app/usePush';
import { useApi } from '../../app/useApi';
import { Inert } from '../../ui/Inert';
import { fmtCount, fmtDateTime } from '../../ui/format';
import { PromptDialog } from './PromptDialog';

const RECENT_KEY = 'tracehound.recentCaptures';
const recent = (): string[] => {
  try {
    const v = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 8) : [];
  } catch {
    return [];
  }
};

/** Open a capture, see what this investigation holds, connect to a node, watch live sessions. */
export function StartView() {
  return (
    <section className="start-view">
      <header className="view-header">
        <h1>Start</h1>
        <p className="muted">Open a saved capture, or connect to a node over SSH and capture live.</p>
      </header>
      <div className="start-grid">
        <OpenCapture />
        <Connect />
        <Investigation />
        <Sessions />
      </div>
    </section>
  );
}

interface Upload {
  name: string;
  sent: number;
  total: number;
  abort(): void;
}

/**
 * Browser mode: the page cannot learn where a file is, so it sends the file to the console's own
 * server (same origin, its cookie), which stores it beside the investigation and imports it.
 */
function uploadCapture(file: File, onProgress: (sent: number) => void): { done: Promise<{ path: string }>; abort(): void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ path: string }>((resolve, reject) => {
    xhr.open('POST', `/upload?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      let body: { ok?: boolean; value?: { path: string }; error?: { message: string } } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // a non-JSON answer: reported by status below
      }
      if (xhr.status === 200 && body.ok && body.value) resolve(body.value);
      else reject(new Error(body.error?.message ?? `upload refused (HTTP ${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error('the upload failed: is the console still running?'));
    xhr.onabort = () => reject(new Error('upload cancelled'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

function OpenCapture() {
  const [path, setPath] = useState('');
  const [msg, setMsg] = useState<{ error: boolean; text: string; file?: string; stored?: string } | null>(null);
  const [list, setList] = useState(recent);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [over, setOver] = useState(false);
  const remember = (p: string) => {
    const next = [p, ...list.filter((x) => x !== p)].slice(0, 8);
    setList(next);
    localStorage.setItem(RECENT_KEY, JSON.stringify(next));
  };
  const importing = 'Importing — progress and Cancel are in the top bar; the views fill as events arrive.';
  const open = async (p: string) => {
    if (!p.trim()) return;
    const r = await api.call('importCapture', { path: p.trim() });
    if (!r.ok) return setMsg({ error: true, text: r.error.message });
    setMsg({ error: false, text: importing });
    remember(p.trim());
  };
  const openFile = (file: File | undefined) => {
    if (!file || upload) return;
    const local = window.tracehound?.pathForFile(file);
    if (local) return void open(local);
    setMsg(null);
    const u = uploadCapture(file, (sent) => setUpload((cur) => (cur ? { ...cur, sent } : cur)));
    setUpload({ name: file.name, sent: 0, total: file.size, abort: u.abort });
    u.done.then(
      (v) => {
        setUpload(null);
        setMsg({ error: false, file: file.name, stored: v.path, text: importing });
        remember(v.path);
      },
      (e: Error) => {
        setUpload(null);
        setMsg({ error: true, file: file.name, text: e.message });
      },
    );
  };
  return (
    <div
      className={`card drop-zone ${over ? 'drop-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        openFile(e.dataTransfer.files[0]);
      }}
    >
      <h2>Open a capture</h2>
      <form
        className="row-form"
        onSubmit={(e) => {
          e.preventDefault();
          void open(path);
        }}
      >
        <input type="text" className="grow mono" placeholder="/path/to/capture.jsonl.gz" aria-label="Capture path" value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="submit" className="btn btn-primary" disabled={!path.trim()}>
          Open
        </button>
        <label className="btn">
          Choose file…
          <input
            type="file"
            className="visually-hidden"
            aria-label="Choose a capture file"
            accept=".gz,.zst,.jsonl,.thc,.json"
            disabled={upload !== null}
            onChange={(e) => {
              openFile(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
      </form>
      <p className="muted small">
        Type a path, choose a file or drop one here. Captures are written by `tracehound record` and by live sessions; truncated captures open up
        to the cut.
      </p>
      {upload && (
        <div className="upload-row" role="status" aria-live="polite">
          <span>
            Sending <Inert text={upload.name} clip max={60} /> to the console
          </span>
          <progress max={upload.total} value={upload.sent} />
          <span className="mono small">
            {(upload.sent / 1048576).toFixed(1)} / {(upload.total / 1048576).toFixed(1)} MiB
          </span>
          <button type="button" className="btn btn-small" onClick={() => upload.abort()}>
            Cancel
          </button>
        </div>
      )}
      {msg && (
        <p className={msg.error ? 'error-text' : 'ok-text'}>
          {/* file names come from the responder's disk or a shared capture: shown inert */}
          {msg.file !== undefined && (
            <>
              <Inert text={msg.file} clip max={80} />
              {msg.stored !== undefined ? (
                <>
                  {' stored as '}
                  <Inert text={msg.stored} clip max={200} className="mono" />
                  {'. '}
                </>
              ) : (
                ': '
              )}
            </>
          )}
          {msg.text}
        </p>
      )}
      {list.length > 0 && (
        <>
          <h3>Recently opened here</h3>
          <ul className="plain-list">
            {list.map((p) => (
              <li key={p}>
                <button type="button" className="link-btn mono" onClick={() => void open(p)}>
                  <Inert text={p} clip max={80} />
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Investigation() {
  const [info, reload] = useApi('databaseInfo', {});
  useThrottledPush(['eventsIngested', 'sessionState'], 1000, reload);
  useEffect(() => {
    const ctl = new AbortController();
    api.on('progress', (p) => p.finished && reload(), ctl.signal);
    return () => ctl.abort();
  }, [reload]);
  return (
    <div className="card">
      <h2>This investigation</h2>
      {info.state === 'loading' && <p className="muted">Loading…</p>}
      {info.state === 'error' && <p className="error-text">{info.message}</p>}
      {info.state === 'ready' && (
        <>
          <p className="muted small mono">
            <Inert text={info.value.path} clip max={90} /> · {(info.value.sizeBytes / 1048576).toFixed(1)} MiB · {fmtCount(info.value.events)} events
          </p>
          {info.value.captures.length === 0 ? (
            <p className="muted">No capture yet: open one, or connect to a node.</p>
          ) : (
            <table className="mini">
              <thead>
                <tr>
                  <th>Capture</th>
                  <th>Node</th>
                  <th>State</th>
                  <th>Events</th>
                  <th>Bad lines</th>
                  <th>Drops</th>
                </tr>
              </thead>
              <tbody>
                {info.value.captures.map((c) => (
                  <tr key={c.id} title={fmtDateTime(c.startedAt * 1000)}>
                    <td className="mono">
                      <Inert text={(c.path ?? c.source).split('/').pop() ?? ''} clip max={40} />
                    </td>
                    <td>
                      <Inert text={c.node ?? '—'} clip max={30} />
                    </td>
                    <td className={c.state === 'complete' ? 'ok-text' : c.state === 'importing' ? '' : 'warn-text'}>
                      {c.state}
                      {c.reason ? ` (${c.reason})` : ''}
                    </td>
                    <td>{fmtCount(c.events)}</td>
                    <td className={c.badLines ? 'warn-text' : ''}>{fmtCount(c.badLines)}</td>
                    <td className={c.drops ? 'warn-text' : ''}>{fmtCount(c.drops)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <OtherInvestigations />
    </div>
  );
}

/** Investigations opened before or kept in the data directory; opening one reloads every view. */
function OtherInvestigations() {
  const [list] = useApi('recentInvestigations', {});
  const [msg, setMsg] = useState<string | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  if (list.state !== 'ready') return null;
  const others = list.value.filter((i) => !i.current);
  if (others.length === 0) return null;
  const open = async (path: string) => {
    setOpening(path);
    setMsg(null);
    const r = await api.call('openInvestigation', { path });
    setOpening(null);
    // on success every page reloads (investigationChanged)
    if (!r.ok) setMsg(r.error.message);
  };
  return (
    <>
      <h3>Other investigations</h3>
      <table className="mini" aria-label="Other investigations">
        <thead>
          <tr>
            <th>Database</th>
            <th>Nodes</th>
            <th>Events</th>
            <th>Size</th>
            <th>Opened</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {others.map((i) => (
            <tr key={i.path} title={i.path}>
              <td className="mono">
                <Inert text={i.name} clip max={40} />
              </td>
              <td>
                <Inert text={i.nodes.join(', ') || '—'} clip max={30} />
              </td>
              <td>{i.error ? <span className="warn-text" title={i.error}>unreadable</span> : i.events === null ? '—' : fmtCount(i.events)}</td>
              <td>{i.sizeBytes === null ? 'missing' : `${(i.sizeBytes / 1048576).toFixed(1)} MiB`}</td>
              <td>{i.lastOpened ? fmtDateTime(i.lastOpened * 1000) : '—'}</td>
              <td>
                <button type="button" className="btn btn-small" disabled={!i.exists || !!i.error || opening !== null} onClick={() => void open(i.path)}>
                  {opening === i.path ? 'Opening…' : 'Open'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {msg && <p className="error-text">{msg}</p>}
    </>
  );
}

function Connect() {
  const [hosts] = useApi('nodeHosts', {});
  const [target, setTarget] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  const start = async (t: string) => {
    setMsg(null);
    const r = await api.call('startSession', { target: t });
    setMsg(r.ok ? `Session started on ${t}: its state is under Live sessions.` : r.error.message);
  };
  return (
    <div className="card">
      <h2>Connect to a node</h2>
      <form
        className="row-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (target.trim()) void start(target.trim());
        }}
      >
        <input type="text" className="grow mono" placeholder="ssh-config alias or user@host:port" aria-label="Node" value={target} onChange={(e) => setTarget(e.target.value)} />
        <button type="submit" className="btn btn-primary" disabled={!target.trim()}>
          Connect
        </button>
      </form>
      {msg && (
        <p className="small">
          <Inert text={msg} />
        </p>
      )}
      <h3>Hosts in ~/.ssh/config</h3>
      {hosts.state === 'loading' && <p className="muted">Reading ~/.ssh/config…</p>}
      {hosts.state === 'error' && <p className="error-text">{hosts.message}</p>}
      {hosts.state === 'ready' &&
        (hosts.value.length === 0 ? (
          <p className="muted">No hosts in ~/.ssh/config. Type user@host above, or add a Host entry there.</p>
        ) : (
          <ul className="plain-list host-list">
            {hosts.value.map((h) => (
              <li key={h.alias}>
                <button type="button" className="link-btn" onClick={() => void start(h.alias)} title="Connect">
                  <strong>
                    <Inert text={h.alias} clip max={40} />
                  </strong>{' '}
                  <span className="muted mono">
                    <Inert text={`${h.user}@${h.hostName}:${h.port}${h.proxyJump ? ` via ${h.proxyJump}` : ''}`} clip max={80} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}

function Sessions() {
  const [list, reload] = useApi('listSessions', {});
  const [live, setLive] = useState<Record<string, Partial<SessionInfo>>>({});
  const [prompts, setPrompts] = useState<SessionPrompt[]>([]);
  useEffect(() => {
    const ctl = new AbortController();
    api.on('sessionState', (s) => {
      setLive((l) => ({ ...l, [s.session]: { state: s.state, rate: s.rate, drops: s.drops, message: s.message ?? null } }));
      if (s.state === 'running' || s.state === 'ended' || s.state === 'failed') reload();
    }, ctl.signal);
    api.on('sessionPrompt', (p) => setPrompts((ps) => [...ps.filter((x) => x.prompt !== p.prompt), p]), ctl.signal);
    void api.call('pendingPrompts', {}).then((r) => r.ok && setPrompts(r.value));
    return () => ctl.abort();
  }, [reload]);
  const sessions = list.state === 'ready' ? list.value : [];
  const active = sessions.some((s) => ['connecting', 'uploading', 'running', 'stopping'].includes(live[s.session]?.state ?? s.state));
  useEffect(() => {
    // Event counts of running sessions: refreshed every 2 s (rates and drops arrive pushed).
    if (!active) return;
    const t = window.setInterval(reload, 2000);
    return () => window.clearInterval(t);
  }, [active, reload]);
  return (
    <div className="card">
      <h2>Live sessions</h2>
      {list.state === 'error' && <p className="error-text">{list.message}</p>}
      {list.state === 'ready' && sessions.length === 0 && <p className="muted">No session yet. Connect to a node to start capturing.</p>}
      {sessions.length > 0 && (
        <table className="mini">
          <thead>
            <tr>
              <th>Node</th>
              <th>State</th>
              <th>Events</th>
              <th>Events/s</th>
              <th>Drops</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s0) => {
              const s = { ...s0, ...live[s0.session] };
              return (
                <tr key={s.session}>
                  <td>
                    <Inert text={s.node} clip max={40} />
                  </td>
                  <td className={`state-${s.state}`} title={s.message ?? undefined}>
                    {s.state}
                  </td>
                  <td>{fmtCount(s.events)}</td>
                  <td>{fmtCount(Math.round(s.rate ?? 0))}</td>
                  <td className={s.drops ? 'warn-text' : ''}>{fmtCount(s.drops ?? 0)}</td>
                  <td>
                    {s.state === 'running' || s.state === 'connecting' || s.state === 'uploading' ? (
                      <button type="button" className="btn btn-ghost" onClick={() => void api.call('stopSession', { session: s.session }).then(reload)}>
                        Stop
                      </button>
                    ) : s.state === 'interrupted' || s.state === 'failed' ? (
                      <button type="button" className="btn btn-ghost" onClick={() => void api.call('reconnectSession', { session: s.session }).then(reload)}>
                        Reconnect
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {prompts[0] && <PromptDialog prompt={prompts[0]} onDone={() => setPrompts((ps) => ps.slice(1))} />}
    </div>
  );
}
