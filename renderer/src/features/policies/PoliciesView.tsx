import { useEffect, useMemo, useState, type Dispatch, type SetStateAction } from 'react';
import type { ArgsOf, AuditResult, DraftResult, PolicyDiffResult, WorkloadSummary } from '../../../../shared/api';
import type { Evidence, Policy } from '../../../../shared/policy';
import { attachEvidence } from './evidence';
import { useDecisions } from './decisions';
import { api } from '../../api/client';
import { useSelection } from '../../app/selection';
import { EmptyState, ErrorState } from '../../app/states';
import { useUi } from '../../app/store';
import { useApi } from '../../app/useApi';
import { Inert } from '../../ui/Inert';
import { fmtCount, fmtTime } from '../../ui/format';
import { AuditList, SemanticDiff, type Decision } from './SemanticDiff';
import { TextDiff } from './TextDiff';

type Kind = 'seccomp' | 'caps' | 'netpol';
type Format = 'oci' | 'spo' | 'k8s' | 'cilium';
const KINDS: { kind: Kind; label: string; formats: { f: Format; label: string }[] }[] = [
  { kind: 'seccomp', label: 'Seccomp', formats: [{ f: 'oci', label: 'OCI / Docker JSON' }, { f: 'spo', label: 'SeccompProfile (SPO)' }] },
  { kind: 'caps', label: 'Capabilities', formats: [{ f: 'k8s', label: 'securityContext' }] },
  { kind: 'netpol', label: 'NetworkPolicy', formats: [{ f: 'k8s', label: 'NetworkPolicy' }, { f: 'cilium', label: 'CiliumNetworkPolicy' }] },
];
type Tab = 'draft' | 'diff' | 'audit';
type Async<T> = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

export function workloadName(w: WorkloadSummary): string {
  const p = w.provenance;
  return [p.namespace, p.pod, p.containerName ?? p.container].filter(Boolean).join(' / ') || w.key;
}

/** Drafts per workload (merged across several), their diff against a baseline, audit and export. */
export function PoliciesView() {
  const sel = useSelection();
  const setView = useUi((s) => s.setView);
  const [list, reload] = useApi('policyWorkloads', {});
  const [chosen, setChosen] = useState<string[]>([]);
  const [kind, setKind] = useState<Kind>('seccomp');
  const [format, setFormat] = useState<Format>('oci');
  const [complain, setComplain] = useState(false);
  const [tab, setTab] = useState<Tab>('draft');
  const [draft, setDraft] = useState<Async<DraftResult>>({ state: 'idle' });

  useEffect(() => {
    if (list.state === 'ready' && chosen.length === 0 && list.value[0]) setChosen([list.value[0].key]);
  }, [list, chosen.length]);
  const args = useMemo<ArgsOf<'policyDraft'> | null>(
    () => (chosen.length ? { workloads: chosen, kind, format, ...(complain && kind === 'seccomp' ? { complain: true } : {}) } : null),
    [chosen, kind, format, complain],
  );
  // Accept/ignore decisions taken on the Diff tab, per draft; ignored rules are left out of the export.
  const argsKey = JSON.stringify(args);
  const store = useDecisions();
  const decisions = store.key === argsKey ? store.decisions : {};
  const setDecisions: Dispatch<SetStateAction<Record<string, Decision>>> = (next) => store.update(argsKey, next);
  useEffect(() => {
    if (!args) return;
    let live = true;
    setDraft({ state: 'loading' });
    void api.call('policyDraft', args).then((r) => live && setDraft(r.ok ? { state: 'ready', value: r.value } : { state: 'error', message: r.error.message }));
    return () => {
      live = false;
    };
  }, [args]);

  const onEvidence = (e: Evidence) => {
    if (e.seq === undefined) return;
    sel.revealEvent(e.seq);
    setView('events');
  };

  if (list.state === 'loading') return <div className="loading">Reading what each workload did…</div>;
  if (list.state === 'error') return <ErrorState title="Policy drafts are not available" message={list.message} onRetry={reload} />;
  if (list.value.length === 0)
    return (
      <EmptyState
        title="No workload to draft a policy for"
        hint="Drafts come from what containers did during a capture. Open a capture of a node running containers from Start."
      />
    );
  const toggle = (key: string, only: boolean) =>
    setChosen((c) => (only ? [key] : c.includes(key) ? c.filter((k) => k !== key) : [...c, key]));
  const kinds = KINDS.find((k) => k.kind === kind)!;

  return (
    <section className="policies-view view-fill">
      <header className="view-header row">
        <h1>Policies</h1>
        <div className="seg" role="tablist" aria-label="Policy kind">
          {KINDS.map((k) => (
            <button
              key={k.kind}
              type="button"
              role="tab"
              aria-selected={kind === k.kind}
              className={`seg-btn ${kind === k.kind ? 'on' : ''}`}
              onClick={() => {
                setKind(k.kind);
                setFormat(k.formats[0]!.f);
              }}
            >
              {k.label}
            </button>
          ))}
        </div>
        <label className="field">
          <span className="field-label">Format</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as Format)} aria-label="Format">
            {kinds.formats.map((f) => (
              <option key={f.f} value={f.f}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        {kind === 'seccomp' && (
          <label className="check" title="SCMP_ACT_LOG instead of denying: for a first rollout">
            <input type="checkbox" checked={complain} onChange={(e) => setComplain(e.target.checked)} /> Complain mode
          </label>
        )}
      </header>
      <div className="split">
        <aside className="workloads" aria-label="Workloads">
          <p className="muted small">Click a workload; tick several to merge them (replicas, captures).</p>
          <ul className="plain-list">
            {list.value.map((w) => (
              <li key={w.key} className={chosen.includes(w.key) ? 'on' : ''}>
                <input type="checkbox" checked={chosen.includes(w.key)} onChange={() => toggle(w.key, false)} aria-label={`Merge ${workloadName(w)}`} />
                <button type="button" className="link-btn" onClick={() => toggle(w.key, true)}>
                  <Inert text={workloadName(w)} clip max={48} />
                  <span className="muted small">
                    {' '}
                    {w.syscalls} syscalls · {w.flows} flows · {w.capabilities} caps
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </aside>
        <div className="policy-main">
          <div className="seg" role="tablist" aria-label="Policy tabs">
            {(['draft', 'diff', 'audit'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={`seg-btn ${tab === t ? 'on' : ''}`} onClick={() => setTab(t)}>
                {t === 'draft' ? 'Draft' : t === 'diff' ? 'Diff' : 'Audit'}
              </button>
            ))}
            {chosen.length > 1 && <span className="muted small">merged from {chosen.length} workloads</span>}
          </div>
          {draft.state === 'loading' && <p className="muted">Drafting…</p>}
          {draft.state === 'error' && <ErrorState title="No draft" message={draft.message} />}
          {draft.state === 'ready' && args && (
            <>
              {tab === 'draft' && (
                <DraftPane draft={draft.value} args={args} ignored={Object.keys(decisions).filter((k) => decisions[k] === 'ignore')} />
              )}
              {tab === 'diff' && <DiffPane draft={draft.value} args={args} onEvidence={onEvidence} decisions={decisions} setDecisions={setDecisions} />}
              {tab === 'audit' && <AuditPane args={args} onEvidence={onEvidence} />}
            </>
          )}
        </div>
      </div>
    </section>
  );
}

function DraftPane({ draft, args, ignored }: { draft: DraftResult; args: ArgsOf<'policyDraft'>; ignored: string[] }) {
  const [path, setPath] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const ext = args.format === 'oci' ? 'json' : 'yaml';
  return (
    <div className="pane">
      {draft.notes.length > 0 && (
        <ul className="notes">
          {draft.notes.map((n, i) => (
            <li key={i}>
              <Inert text={n} />
            </li>
          ))}
        </ul>
      )}
      <form
        className="row-form"
        onSubmit={(e) => {
          e.preventDefault();
          void api.call('policyExport', { ...args, ...(ignored.length ? { leaveOut: ignored } : {}), path: path.trim() }).then((r) =>
            setMsg(r.ok ? { ok: true, text: `Written: ${r.value.path} (${fmtCount(r.value.bytes)} bytes)` } : { ok: false, text: r.error.message }),
          );
        }}
      >
        <input type="text" className="grow mono" aria-label="Export path" placeholder={`/path/to/profile.${ext}  (never overwritten)`} value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="submit" className="btn btn-primary" disabled={!path.trim()}>
          Export
        </button>
      </form>
      {ignored.length > 0 && (
        <p className="muted small" data-testid="left-out">
          Left out of the export (ignored on the Diff tab): <Inert text={ignored.join(', ')} />
        </p>
      )}
      {msg && (
        <p className={msg.ok ? 'ok-text' : 'error-text'} role="status">
          <Inert text={msg.text} />
        </p>
      )}
      <pre className="json doc" data-testid="policy-text">
        <Inert text={draft.text} max={200_000} multiline />
      </pre>
    </div>
  );
}

function DiffPane({
  draft,
  args,
  onEvidence,
  decisions,
  setDecisions,
}: {
  draft: DraftResult;
  args: ArgsOf<'policyDraft'>;
  onEvidence(e: Evidence): void;
  decisions: Record<string, Decision>;
  setDecisions: Dispatch<SetStateAction<Record<string, Decision>>>;
}) {
  const range = useSelection((s) => s.range);
  const [base, setBase] = useState<'range' | 'paste'>(range ? 'range' : 'paste');
  const [pasted, setPasted] = useState('');
  const [result, setResult] = useState<Async<PolicyDiffResult & { baseName: string }>>({ state: 'idle' });
  const compare = async () => {
    setResult({ state: 'loading' });
    let a = pasted;
    let baseName = 'pasted policy';
    let basePolicy: Policy | undefined;
    if (base === 'range') {
      if (!range) return setResult({ state: 'error', message: 'Select a time range in the Containers view first.' });
      const r = await api.call('policyDraft', { ...args, from: Math.floor(range.from), to: Math.ceil(range.to) + 1 });
      if (!r.ok) return setResult({ state: 'error', message: r.error.message });
      a = r.value.text;
      basePolicy = r.value.policy;
      baseName = `draft ${fmtTime(range.from)}–${fmtTime(range.to)}`;
    }
    const d = await api.call('policyDiff', { a, b: draft.text });
    setResult(
      d.ok
        ? { state: 'ready', value: { ...d.value, entries: attachEvidence(d.value.entries, draft.policy, basePolicy), baseName } }
        : { state: 'error', message: d.error.message },
    );
  };
  const accepted = Object.values(decisions).filter((d) => d === 'accept').length;
  const ignored = Object.values(decisions).filter((d) => d === 'ignore').length;
  return (
    <div className="pane">
      <div className="row-form wrap">
        <span>Compare the draft with</span>
        <label className="check">
          <input type="radio" name="base" checked={base === 'range'} onChange={() => setBase('range')} disabled={!range} /> the draft over the selected time range
          {range ? ` (${fmtTime(range.from)}–${fmtTime(range.to)})` : ' (select one in Containers)'}
        </label>
        <label className="check">
          <input type="radio" name="base" checked={base === 'paste'} onChange={() => setBase('paste')} /> a policy I paste (deployed, previous)
        </label>
        <button type="button" className="btn btn-primary" onClick={() => void compare()} disabled={base === 'paste' && pasted.trim().length < 2}>
          Compare
        </button>
      </div>
      {base === 'paste' && (
        <textarea className="paste mono" aria-label="Policy to compare with" placeholder="Paste a seccomp profile, securityContext or NetworkPolicy (JSON or YAML)" value={pasted} onChange={(e) => setPasted(e.target.value)} />
      )}
      {result.state === 'loading' && <p className="muted">Comparing…</p>}
      {result.state === 'error' && (
        <p className="error-text">
          <Inert text={result.message} />
        </p>
      )}
      {result.state === 'ready' && (
        <>
          <h3 className="pane-title">
            What the draft changes from the {result.value.baseName} · {result.value.entries.length} rules · {accepted} accepted, {ignored} ignored
          </h3>
          {ignored > 0 && <p className="warn-text small">Ignored rules are left out of the export on the Draft tab.</p>}
          <SemanticDiff entries={result.value.entries} decisions={decisions} onDecide={(s, d) => setDecisions(({ [s]: _old, ...rest }) => (d ? { ...rest, [s]: d } : rest))} onEvidence={onEvidence} />
          <h3 className="pane-title">Text, side by side</h3>
          {result.value.text ? <TextDiff patch={result.value.text} beforeName={result.value.baseName} afterName="draft" /> : <p className="muted">The documents are identical.</p>}
        </>
      )}
    </div>
  );
}

function AuditPane({ args, onEvidence }: { args: ArgsOf<'policyDraft'>; onEvidence(e: Evidence): void }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState<Async<AuditResult[]>>({ state: 'idle' });
  const run = async () => {
    setResult({ state: 'loading' });
    const r = await api.call('policyAudit', { policy: text, workloads: args.workloads });
    setResult(r.ok ? { state: 'ready', value: r.value } : { state: 'error', message: r.error.message });
  };
  return (
    <div className="pane">
      <p className="muted small">Replay what the selected workloads did against a policy: what would it have denied?</p>
      <textarea className="paste mono" aria-label="Policy to audit" placeholder="Paste the policy to audit (JSON or YAML)" value={text} onChange={(e) => setText(e.target.value)} />
      <button type="button" className="btn btn-primary" disabled={text.trim().length < 2} onClick={() => void run()}>
        Audit
      </button>
      {result.state === 'loading' && <p className="muted">Auditing…</p>}
      {result.state === 'error' && (
        <p className="error-text">
          <Inert text={result.message} />
        </p>
      )}
      {result.state === 'ready' &&
        result.value.map((a) => (
          <div key={a.key}>
            <h3 className="pane-title">
              <Inert text={a.key} clip max={80} /> · {a.findings.length} would be denied
            </h3>
            <AuditList findings={a.findings} onEvidence={onEvidence} />
          </div>
        ))}
    </div>
  );
}
