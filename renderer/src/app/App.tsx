import { useEffect, useState } from 'react';
import { KeysHelp } from './KeysHelp';
import { useApi } from './useApi';
import { api } from '../api/client';
import { useUi, type View } from './store';
import { Overview } from '../features/overview/Overview';
import { EventsView } from '../features/events/EventsView';
import { ProcessesView } from '../features/processes/ProcessesView';
import { TimelineView } from '../features/timeline/TimelineView';
import { StartView } from '../features/start/StartView';
import { NetworkView } from '../features/network/NetworkView';
import { PoliciesView } from '../features/policies/PoliciesView';
import { JobsBar } from './JobsBar';
import { SelectionBar } from './SelectionBar';

export const NAV: { view: View; label: string; key: string }[] = [
  { view: 'start', label: 'Start', key: '1' },
  { view: 'overview', label: 'Overview', key: '2' },
  { view: 'processes', label: 'Processes', key: '3' },
  { view: 'timeline', label: 'Containers', key: '4' },
  { view: 'events', label: 'Events', key: '5' },
  { view: 'network', label: 'Network', key: '6' },
  { view: 'policies', label: 'Policies', key: '7' },
];

function CurrentView({ view }: { view: View }) {
  switch (view) {
    case 'overview':
      return <Overview />;
    case 'events':
      return <EventsView />;
    case 'processes':
      return <ProcessesView />;
    case 'policies':
      return <PoliciesView />;
    case 'network':
      return <NetworkView />;
    case 'start':
      return <StartView />;
    case 'timeline':
      return <TimelineView />;
  }
}

export function App() {
  const { view, setView, theme, toggleTheme } = useUi();
  const [info] = useApi('appInfo', {});
  const [help, setHelp] = useState(false);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    // The desktop menu (Connect…, Export…) opens the view that does it.
    const ctl = new AbortController();
    api.on('menuCommand', (c) => setView(c.view), ctl.signal);
    // another investigation is open: every view's data is stale, start afresh
    api.on('investigationChanged', () => window.location.reload(), ctl.signal);
    return () => ctl.abort();
  }, [setView]);
  useEffect(() => {
    // Alt+1…7 switch views, like tabs.
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement;
      if (e.key === '?' && !typing) {
        setHelp(true);
        e.preventDefault();
        return;
      }
      if (!e.altKey || e.shiftKey) return;
      const n = NAV.find((x) => x.key === e.key);
      if (n) {
        setView(n.view);
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setView]);

  const capture = info.state === 'ready' ? info.value.capture : null;
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand" aria-label="Tracehound">
          <span className="brand-mark">◆</span> Tracehound
        </span>
        <span className="topbar-capture mono" title={capture ?? undefined}>
          {capture ? capture.split('/').pop() : info.state === 'ready' ? 'no capture' : ''}
        </span>
        <SelectionBar />
        <span className="spacer" />
        <JobsBar />
        <button className="btn btn-ghost" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
          Keys
        </button>
        <button className="btn btn-ghost" onClick={toggleTheme} aria-label="Toggle theme">
          {theme === 'dark' ? 'Light' : 'Dark'} theme
        </button>
      </header>
      <nav className="sidenav" aria-label="Views">
        {NAV.map((n) => (
          <button
            key={n.view}
            className={n.view === view ? 'nav-item active' : 'nav-item'}
            aria-current={n.view === view ? 'page' : undefined}
            onClick={() => setView(n.view)}
            title={`Alt+${n.key}`}
          >
            {n.label}
            <span className="nav-key">Alt+{n.key}</span>
          </button>
        ))}
        <div className="sidenav-foot muted">
          {info.state === 'ready' ? `v${info.value.version} · ${info.value.transport}` : ''}
        </div>
      </nav>
      <main className="content" data-view={view}>
        <CurrentView view={view} />
      </main>
      {help && <KeysHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
