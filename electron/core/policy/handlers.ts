/**
 * The policy API over the investigation database: drafts, loading, diffs, audits, export.
 * Reads through a read-only connection of its own (WAL lets it read while an import writes).
 */
import { writeFileSync } from 'node:fs';
import type { CoreContext } from '../context';
import { ApiFailure, type HandlersFor } from '../api/types';
import type { policyMethods } from '../../../shared/api/policy';
import type { Infer } from '../../../shared/schema';
import type { DraftArgs } from '../../../shared/api/policy';
import type { Observed, Policy, PolicyFormat } from '../../../shared/policy';
import { openDatabase, type Db } from '../store/db';
import { observe } from './observe/from-events';
import { storeEvents, type StoreSelection } from './observe/from-store';
import { draftFor } from './draft';
import { FORMATS, render } from './export';
import { mergePolicies } from './merge';
import { policiesFromText, policyFromText } from './load';
import { semanticDiff } from './diff/semantic';
import { unifiedDiff } from './diff/text';
import { auditAll } from './audit';
import { leaveOut } from './leave-out';
import { emptyInventory, parseInventory, type Inventory } from './netpol/inventory';
import { PolicyParseError } from './formats/yaml';
import { SchemaError } from './formats/validate';
import { draftText, listDrafts, saveDraft } from './saved';

export function policyHandlers(ctx: CoreContext): HandlersFor<keyof typeof policyMethods> {
  let db: Db | null = null;
  let writer: Db | null = null;
  /** Saving drafts writes; WAL lets this second connection write beside the ingest. */
  const writable = (): Db => {
    if (!writer) {
      writer = openDatabase(ctx.databasePath);
      ctx.onDispose(() => {
        writer?.close();
      });
    }
    return writer;
  };
  const conn = (): Db => {
    if (!db) {
      try {
        db = openDatabase(ctx.databasePath, { readonly: true });
      } catch (e) {
        throw new ApiFailure('unavailable', `the investigation database cannot be read: ${(e as Error).message}`);
      }
      ctx.onDispose(() => {
        db?.close();
      });
    }
    return db;
  };
  // Reading every event of a large investigation takes seconds: the last few answers are kept
  // until new events arrive (the highest sequence number moves).
  const cache = new Map<string, { seq: number; observed: Observed[] }>();
  const observed = (a: { by?: 'container' | 'netns' | undefined } & StoreSelection): Observed[] => {
    const sel: StoreSelection = {};
    if (a.from !== undefined) sel.from = a.from;
    if (a.to !== undefined) sel.to = a.to;
    if (a.captures) sel.captures = a.captures;
    const by = a.by ?? 'container';
    const key = JSON.stringify([by, sel]);
    const seq = (conn().prepare('SELECT coalesce(max(seq), 0) AS s FROM events').get() as { s: number }).s;
    const hit = cache.get(key);
    if (hit && hit.seq === seq) return hit.observed;
    const result = observe(storeEvents(conn(), sel), { by });
    cache.delete(key);
    cache.set(key, { seq, observed: result });
    if (cache.size > 4) cache.delete(cache.keys().next().value!);
    return result;
  };
  const pick = (all: Observed[], keys: string[]): Observed[] =>
    keys.map((k) => {
      const o = all.find((x) => x.key === k);
      if (!o) throw new ApiFailure('not_found', `no workload ${k} in this investigation`);
      return o;
    });
  const pods = (text: string | undefined): Inventory => (text ? guard(() => parseInventory(text)) : emptyInventory());
  const load = (text: string, what: string): Policy => guard(() => policyFromText(text), what);

  const draft = async (a: Infer<typeof DraftArgs>) => {
    if (a.workloads.length === 0) throw new ApiFailure('bad_request', 'workloads: name at least one');
    const fmt = (a.format ?? FORMATS[a.kind][0]) as PolicyFormat;
    if (!FORMATS[a.kind].includes(fmt)) throw new ApiFailure('bad_request', `format: ${a.kind} is written as ${FORMATS[a.kind].join(' or ')}`);
    const inv = pods(a.pods);
    const drafts = pick(observed(a), a.workloads).map((o) => draftFor(a.kind, o, inv));
    const merged = drafts.length === 1 ? drafts[0]!.policy : guard(() => mergePolicies(drafts.map((d) => d.policy)));
    const { policy, left } = leaveOut(merged, a.leaveOut ?? []);
    const notes = [...new Set(drafts.flatMap((d) => d.notes))];
    if (left.length > 0) notes.push(`Left out by the reviewer: ${left.join(', ')}`);
    const out = await render(policy, fmt, { complain: a.complain === true, notes });
    return { policy, format: fmt, text: out.text, notes };
  };
  const nameOf = (p: Policy): string => (p.type === 'netpol' ? p.name : `${p.provenance?.pod ?? p.provenance?.containerName ?? 'workload'}-${p.type}`);

  return {
    policyWorkloads: (a) =>
      observed(a).map((o) => ({
        key: o.key,
        provenance: o.provenance,
        syscalls: o.syscalls.filter((s) => s.phase === 'workload').length,
        flows: o.flows.length,
        capabilities: o.caps.length + o.capHints.length,
      })),
    policyDraft: draft,
    policyLoad: ({ text }) => load(text, 'policy'),
    policyDiff: async ({ a, b }) => {
      const pa = load(a, 'a');
      const pb = load(b, 'b');
      const entries = guard(() => semanticDiff(pa, pb));
      const text = unifiedDiff('a', (await render(pa)).text, 'b', (await render(pb)).text);
      return { entries, text };
    },
    policyAudit: ({ policy, workloads, pods: p, ...a }) => {
      const pols = guard(() => policiesFromText(policy), 'policy');
      const inv = pods(p);
      const all = observed(a);
      const chosen = workloads?.length ? pick(all, workloads) : all;
      return chosen.map((o) => ({ key: o.key, findings: auditAll(pols, o, inv) }));
    },
    policySave: async ({ name, ...args }) => {
      const r = await draft(args);
      return saveDraft(writable(), r.policy, args.workloads.join(','), name ?? nameOf(r.policy), r.text);
    },
    policySaved: (q) => {
      const f: { workload?: string; type?: string } = {};
      if (q.workload !== undefined) f.workload = q.workload;
      if (q.type !== undefined) f.type = q.type;
      return listDrafts(conn(), f);
    },
    policySavedText: ({ id }) => {
      const text = draftText(conn(), id);
      if (text === undefined) throw new ApiFailure('not_found', `no saved draft ${id}`);
      return { text };
    },
    policyExport: async ({ path, ...args }) => {
      const r = await draft(args);
      try {
        writeFileSync(path, r.text, { flag: 'wx' });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new ApiFailure(code === 'EEXIST' ? 'bad_request' : 'failed', code === 'EEXIST' ? `${path} exists; exports never overwrite a file` : (e as Error).message);
      }
      return { path, bytes: Buffer.byteLength(r.text) };
    },
  };
}

/** Expected failures of user input become bad requests that name the field. */
function guard<T>(fn: () => T, what?: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PolicyParseError || e instanceof SchemaError) throw new ApiFailure('bad_request', what ? `${what}: ${e.message}` : e.message);
    if (e instanceof Error && /^cannot (merge|compare)|selects other pods/.test(e.message)) throw new ApiFailure('bad_request', e.message);
    throw e;
  }
}
