// The policy API over a real investigation database: a runc container recorded by the collector,
// the capture imported into SQLite by the core, then drafts, evidence pointing at stored events,
// loading with field-path errors, diffs, audits and export through the core's handlers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../electron/core/core';
import type { ApiResult } from '../../shared/api';
import type { AuditResult, DraftResult, PolicyDiffResult, SavedDraft, WorkloadSummary } from '../../shared/api/policy';
import type { SeccompPolicy } from '../../shared/policy';
import { openDatabase } from '../../electron/core/store/db';
import { openStore } from '../../electron/core/store/store';
import { EventWriter } from '../../electron/core/store/writer';
import { parseLine } from '../../shared/events';
import { ensureBuilt, requireRoot } from './collector-harness.js';
import { containerId, deleteContainer, makeBundle, removeBundle, recordContainer } from './policy-harness.js';

let dir: string;
let bundle: string;
let core: Core;
let captureRow = 0;
const id = containerId('store');

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

before(async () => {
  requireRoot();
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'th-policy-store-'));
  bundle = makeBundle({ args: ['sh', '-c', 'mkdir /tmp/d; echo hi > /tmp/d/f; cat /tmp/d/f; ls /tmp/d; sleep 1'] /* long enough for the collector to resolve the container */ });
  const c = await recordContainer(bundle, id, ['--kinds=-open']);
  // stored the way ingest stores lines: one capture, validated events, raw lines kept verbatim
  const store = openStore(join(dir, 'inv.db'));
  try {
    const cap = store.beginCapture({ ident: `policy-${id}`, source: 'file', path: join(dir, 'run.jsonl') });
    captureRow = cap.id;
    const w = new EventWriter(store.db, cap.id);
    store.db.transaction(() => {
      for (const raw of c.raw) {
        const r = parseLine(raw);
        if (r.ok) w.add(r.event, raw);
      }
      w.flush();
    })();
  } finally {
    store.close();
  }
  core = new Core({ version: 'test', transport: 'browser', databasePath: join(dir, 'inv.db'), capturePath: null });
});

after(async () => {
  await core?.dispose();
  deleteContainer(id);
  removeBundle(bundle);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('drafts from the store carry evidence pointing at stored events', async () => {
  const ws = value<WorkloadSummary[]>(await core.call('policyWorkloads', {}));
  const w = ws.find((x) => x.key === id);
  assert.ok(w, `workloads: ${ws.map((x) => x.key)}`);
  assert.equal(w.provenance.pod, 'web-1');
  assert.deepEqual(w.provenance.captures, ['run.jsonl']);
  assert.ok(w.syscalls > 10);

  const d = value<DraftResult>(await core.call('policyDraft', { workloads: [id], kind: 'seccomp', format: 'spo' }));
  assert.match(d.text, /kind: SeccompProfile/);
  const p = d.policy as SeccompPolicy;
  const mkdir = p.allow.find((r) => r.name === 'mkdir');
  assert.ok(mkdir, 'mkdir drafted');
  const seq = mkdir.evidence[0]!.seq!;
  const db = openDatabase(join(dir, 'inv.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT kind, data FROM events WHERE seq = ?').get(seq) as { kind: string; data: string };
    assert.equal(row.kind, 'syscalls');
    const line = JSON.parse(row.data);
    assert.equal(line.cid, id);
    assert.ok(line.nr.includes(83), 'the evidence is the syscall set that holds mkdir (83)');
  } finally {
    db.close();
  }
});

test('load, diff, audit and export through the API', async () => {
  const d = value<DraftResult>(await core.call('policyDraft', { workloads: [id], kind: 'seccomp' }));
  const same = value<PolicyDiffResult>(await core.call('policyDiff', { a: d.text, b: d.text }));
  assert.deepEqual(same, { entries: [], text: '' });

  const narrowed = JSON.parse(d.text);
  narrowed.syscalls[0].names = narrowed.syscalls[0].names.filter((n: string) => n !== 'mkdir');
  const diff = value<PolicyDiffResult>(await core.call('policyDiff', { a: d.text, b: JSON.stringify(narrowed) }));
  assert.deepEqual(diff.entries.map((e) => [e.change, e.subject]), [['removed', 'syscall mkdir']]);
  assert.match(diff.text, /^-\s+"mkdir",$/m);

  const audits = value<AuditResult[]>(await core.call('policyAudit', { policy: JSON.stringify(narrowed), workloads: [id] }));
  assert.deepEqual(audits[0]!.findings.map((f) => f.detail), ['syscall mkdir']);
  assert.ok(audits[0]!.findings[0]!.evidence[0]!.seq! > 0);

  narrowed.syscalls[0].action = 'SCMP_ACT_MAYBE';
  const bad = await core.call('policyLoad', { text: JSON.stringify(narrowed) });
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.error.code === 'bad_request' && bad.error.message.includes('syscalls[0].action'), JSON.stringify(bad));

  const out = join(dir, 'profile.json');
  const e = value<{ path: string; bytes: number }>(await core.call('policyExport', { workloads: [id], kind: 'seccomp', complain: true, path: out }));
  assert.equal(e.bytes, readFileSync(out).length);
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).defaultAction, 'SCMP_ACT_LOG');
  const again = await core.call('policyExport', { workloads: [id], kind: 'seccomp', path: out });
  assert.ok(!again.ok && /exists/.test(again.error.message));
  assert.ok(existsSync(out));
  // A rule the reviewer ignored on the diff is left out of the export, and the draft says so.
  const reviewed = join(dir, 'reviewed.json');
  value(await core.call('policyExport', { workloads: [id], kind: 'seccomp', leaveOut: ['syscall mkdir'], path: reviewed }));
  const names = (JSON.parse(readFileSync(reviewed, 'utf8')) as { syscalls: Array<{ names: string[] }> }).syscalls.flatMap((r) => r.names);
  assert.ok(!names.includes('mkdir') && names.includes('openat'), names.join(','));
  const noted = value<DraftResult>(await core.call('policyDraft', { workloads: [id], kind: 'seccomp', leaveOut: ['syscall mkdir'] }));
  assert.ok(noted.notes.some((n) => n === 'Left out by the reviewer: syscall mkdir'), noted.notes.join('\n'));
  const missing = await core.call('policyDraft', { workloads: ['nope'], kind: 'caps' });
  assert.ok(!missing.ok && missing.error.code === 'not_found');
});

test('a time range and a capture set select the events a draft is made of', async () => {
  const db = openDatabase(join(dir, 'inv.db'), { readonly: true });
  let last: number;
  try {
    last = (db.prepare('SELECT max(t) AS t FROM events').get() as { t: number }).t;
  } finally {
    db.close();
  }
  const keys = async (args: object) => value<WorkloadSummary[]>(await core.call('policyWorkloads', args)).map((w) => w.key);
  assert.ok((await keys({ captures: [captureRow] })).includes(id));
  assert.ok((await keys({ to: last })).includes(id));
  assert.ok(!(await keys({ from: last + 1 })).includes(id), 'nothing of the container after its last event');
  assert.ok(!(await keys({ captures: [captureRow + 1] })).includes(id), 'another capture');
  const none = await core.call('policyDraft', { workloads: [id], kind: 'seccomp', from: last + 1 });
  assert.ok(!none.ok && none.error.code === 'not_found');
});

test('drafts kept in the investigation, listed and compared with the next one', async () => {
  const saved = value<SavedDraft>(await core.call('policySave', { workloads: [id], kind: 'caps' }));
  assert.equal(saved.type, 'caps');
  assert.equal(saved.workload, id);
  assert.equal(saved.name, 'web-1-caps');
  assert.equal(saved.provenance?.pod, 'web-1');
  const other = value<SavedDraft>(await core.call('policySave', { workloads: [id], kind: 'seccomp', name: 'first-look' }));
  const list = value<SavedDraft[]>(await core.call('policySaved', { workload: id }));
  assert.deepEqual(list.map((d) => d.id).sort(), [saved.id, other.id].sort());
  assert.deepEqual(value<SavedDraft[]>(await core.call('policySaved', { type: 'seccomp' })).map((d) => d.name), ['first-look']);
  const { text } = value<{ text: string }>(await core.call('policySavedText', { id: other.id }));
  const now = value<DraftResult>(await core.call('policyDraft', { workloads: [id], kind: 'seccomp' }));
  assert.deepEqual(value<PolicyDiffResult>(await core.call('policyDiff', { a: text, b: now.text })).entries, [], 'same capture, same draft');
  const gone = await core.call('policySavedText', { id: 99999 });
  assert.ok(!gone.ok && gone.error.code === 'not_found');
});
