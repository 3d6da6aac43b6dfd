// The sample capture (a real recording) imported into a real SQLite file, then every query the
// console uses, checked against what the capture's lines say.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { importCapture } from '../../electron/core/capture/import';
import { eventsPage, eventDetail } from '../../electron/core/store/queries/events';
import { EVENT_FIELD_MAX, EventsPageArgs } from '../../shared/api/store';
import { processAncestors, processChildren, processRoots, processSearch, processSubtree, processSubtreePage } from '../../electron/core/store/queries/processes';
import { processDetails } from '../../electron/core/store/queries/details';
import { listContainers } from '../../electron/core/store/queries/containers';
import { overview, databaseInfo } from '../../electron/core/store/queries/overview';
import type { Store } from '../../electron/core/store/store';
import { EVENT_SORTS, eventSortsFor, type EventsPageQuery } from '../../shared/api/store';
import { SAMPLE, sampleLines, tempStore } from './store-harness';

let store: Store;
let cleanup: () => void;
const { parsed } = sampleLines();
const events = parsed.slice(1);
const cid = events.find((e) => e.kind === 'container')!.cid as string;

before(async () => {
  ({ store, cleanup } = tempStore());
  const r = await importCapture(store, SAMPLE);
  assert.equal(r.state, 'complete', r.reason ?? '');
});
after(() => cleanup());

test('overview counts what the capture holds', () => {
  const o = overview(store);
  assert.equal(o.events, events.length);
  assert.equal(o.kinds.exec, events.filter((e) => e.kind === 'exec').length);
  assert.equal(o.connections, events.filter((e) => e.kind === 'net').length);
  assert.equal(o.containers, 1);
  assert.deepEqual(o.nodes, [parsed[0]!.node.hostname]);
  assert.equal(o.importing, 0);
  const pids = new Set(events.filter((e) => typeof e.pid === 'number').map((e) => `${e.pid}/${Math.floor(e.start / 1e7)}`));
  assert.ok(o.processes >= pids.size, `${o.processes} processes for ${pids.size} distinct identities`);
  assert.ok(o.firstTs! > 1.7e15 && o.lastTs! >= o.firstTs!, 'wall-clock microseconds');
});

test('the intrusion reads as one tree: httpd → CGI shell → sh -c → /tmp/nc', () => {
  const [hit] = processSearch(store.db, '/tmp/nc -w');
  assert.ok(hit, 'search by argv finds the reverse shell');
  assert.deepEqual(hit.process.argv.slice(0, 2), ['/tmp/nc', '-w']);
  assert.equal(hit.process.cid, cid);
  const chain = processAncestors(store.db, hit.process.id);
  assert.deepEqual(chain.map((p) => p.id), hit.path, 'search path = ancestors');
  const names = chain.map((p) => p.comm);
  assert.ok(names.includes('httpd'), `ancestors ${names.join(' > ')}`);
  const httpd = chain.find((p) => p.comm === 'httpd')!;
  const sub = processSubtree(store.db, httpd.id);
  assert.equal(sub[0]!.id, httpd.id);
  assert.ok(sub.some((p) => p.argv[0] === 'cat' && p.argv[1] === '/etc/shadow'), 'cat /etc/shadow under httpd');
  const kids = processChildren(store.db, httpd.id);
  assert.ok(kids.length >= 4 && kids.every((k) => k.parent === httpd.id), 'one child per request');
  const roots = processRoots(store.db, { container: cid });
  assert.ok(roots.some((r) => r.id === httpd.id), 'httpd is a root of its container');
  assert.ok(roots.every((r) => r.cid === cid));
});

test('a subtree pages in tree order: pages joined are the whole walk, parents first, children counted', () => {
  const roots = processRoots(store.db, {});
  const sizes = roots.map((r) => ({ id: r.id, n: processSubtree(store.db, r.id, 1000, 50000).length }));
  const root = sizes.sort((a, b) => b.n - a.n)[0]!;
  assert.ok(root.n > 20, `a subtree worth paging (${root.n})`);
  const whole = processSubtreePage(store.db, { id: root.id, limit: 50000 })!;
  assert.equal(whole.next, null);
  assert.equal(whole.rows[0]!.id, root.id);
  const seen = new Set<number>();
  for (const p of whole.rows) {
    if (p.id !== root.id) assert.ok(seen.has(p.parent!), `process ${p.id} comes after its parent`);
    seen.add(p.id);
    assert.equal(p.children, processChildren(store.db, p.id, 10000).length, `children of ${p.id}`);
  }
  // Pre-order: a process's children follow it in start order, each with its whole subtree.
  const kids = processChildren(store.db, root.id, 10000).map((k) => k.id);
  assert.deepEqual(
    whole.rows.filter((p) => p.parent === root.id).map((p) => p.id),
    kids,
  );
  for (const limit of [1, 2, 5, 17]) {
    const ids: number[] = [];
    let page = processSubtreePage(store.db, { id: root.id, limit })!;
    ids.push(...page.rows.map((p) => p.id));
    while (page.next !== null) {
      assert.equal(page.rows.length, limit);
      page = processSubtreePage(store.db, { id: root.id, after: page.next, limit })!;
      ids.push(...page.rows.map((p) => p.id));
    }
    assert.deepEqual(ids, whole.rows.map((p) => p.id), `pages of ${limit}`);
  }
  const shallow = processSubtreePage(store.db, { id: root.id, maxDepth: 1, limit: 50000 })!;
  assert.deepEqual(shallow.rows.map((p) => p.id), [root.id, ...kids]);
  // A cursor outside the subtree is refused, not silently restarted.
  const inner = whole.rows.find((p) => p.parent !== root.id && p.id !== root.id && p.children > 0)!;
  const outside = whole.rows.find((p) => p.parent === inner.parent && p.id !== inner.id)!;
  assert.equal(processSubtreePage(store.db, { id: inner.id, after: outside.id }), null);
  assert.equal(processSubtreePage(store.db, { id: inner.id, after: root.id }), null);
});

test('processes started before the capture still make whole trees', () => {
  const roots = processRoots(store.db, {});
  assert.ok(roots.length > 0);
  const placeholders = store.db.prepare("SELECT count(*) FROM processes WHERE origin = 'placeholder'").pluck().get() as number;
  assert.ok(placeholders > 0, 'the recording script\'s ancestors are placeholders');
  const orphans = store.db
    .prepare('SELECT count(*) FROM processes p WHERE p.ppid > 0 AND p.parent IS NULL AND p.origin != ?')
    .pluck()
    .get('placeholder') as number;
  assert.equal(orphans, 0, 'every process with a parent pid has a parent row');
});

test('process details: its events, per kind, and its ancestors', () => {
  const [hit] = processSearch(store.db, 'cat /etc/shadow');
  const cat = processSubtree(store.db, hit!.process.id).find((p) => p.argv[0] === 'cat') ?? hit!.process;
  const d = processDetails(store.db, cat.id)!;
  assert.ok(d.events.rows.some((r) => r.kind === 'open' && r.summary === '/etc/shadow'), JSON.stringify(d.events.rows.map((r) => r.summary)));
  assert.equal(d.kinds.exec ?? 0, d.events.rows.filter((r) => r.kind === 'exec').length);
  assert.ok(d.ancestors.length >= 2);
});

test('events page: fields of the lines come with the rows when asked for', () => {
  const asked = ['path', 'argv', 'dport', 'flags', 'uid'];
  const page = eventsPage(store.db, { kinds: ['exec', 'open', 'net'], limit: 5000, fields: asked });
  assert.ok(page.rows.length > 50);
  let seen = 0;
  for (const r of page.rows) {
    const data = eventDetail(store.db, r.seq)!.data;
    const want: Record<string, string> = {};
    for (const f of asked) {
      const v = data[f];
      if (v === undefined || v === null) continue;
      want[f] = (Array.isArray(v) ? v.join(' ') : typeof v === 'string' ? v : JSON.stringify(v)).slice(0, EVENT_FIELD_MAX);
    }
    assert.deepEqual(r.fields, want, `row ${r.seq} (${r.kind})`);
    seen += Object.keys(want).length;
  }
  assert.ok(page.rows.some((r) => r.kind === 'open' && r.fields?.path === '/etc/shadow'));
  assert.ok(page.rows.some((r) => r.kind === 'net' && r.fields?.dport === '4444'));
  assert.ok(seen > page.rows.length, 'several fields per row');
  assert.equal(eventsPage(store.db, { limit: 5 }).rows[0]!.fields, undefined, 'none unless asked');
  // names are field names, nothing else: no prototype keys, no paths
  for (const bad of ['__proto__', 'a.b', 'Path', '']) {
    const r = EventsPageArgs.check({ fields: [bad] }, '');
    assert.equal(r.ok, false, bad);
  }
  assert.equal(EventsPageArgs.check({ fields: Array.from({ length: 17 }, (_, i) => `f${i}`) }, '').ok, false, 'at most 16');
});

test('events page: filters by kind, container, subtree, time and text', () => {
  const nets = eventsPage(store.db, { kinds: ['net'], limit: 1000 });
  assert.equal(nets.rows.length, events.filter((e) => e.kind === 'net').length);
  assert.ok(nets.rows.some((r) => r.summary.includes('127.0.0.1:4444')), 'the refused reverse connection');
  const inCtr = eventsPage(store.db, { container: cid.slice(0, 6), limit: 5000 });
  assert.equal(inCtr.rows.length, events.filter((e) => e.cid === cid).length);
  const shadow = eventsPage(store.db, { text: 'ETC/SHADOW', kinds: ['open'] });
  assert.ok(shadow.rows.length >= 1 && shadow.rows.every((r) => r.summary.includes('/etc/shadow')));
  const noMatch = eventsPage(store.db, { text: '100%_not_there' });
  assert.equal(noMatch.rows.length, 0, 'LIKE wildcards in the text are literal');
  const all = eventsPage(store.db, { limit: 5000 }).rows;
  const mid = all[Math.floor(all.length / 2)]!;
  const later = eventsPage(store.db, { from: mid.t, limit: 5000 }).rows;
  assert.equal(later.length, all.filter((r) => r.t >= mid.t).length);
  const [hit] = processSearch(store.db, 'httpd -f');
  const sub = eventsPage(store.db, { process: hit!.process.id, subtree: true, limit: 5000 }).rows;
  const own = eventsPage(store.db, { process: hit!.process.id, limit: 5000 }).rows;
  assert.ok(sub.length > own.length && own.length > 0);
  assert.ok(sub.some((r) => r.comm === 'cat'));
});

test('keyset paging walks the same order forwards and backwards', () => {
  const all = eventsPage(store.db, { limit: 5000 }).rows;
  assert.equal(all.length, events.length);
  for (let i = 1; i < all.length; i++) {
    const a = all[i - 1]!;
    const b = all[i]!;
    assert.ok(a.t < b.t || (a.t === b.t && a.seq < b.seq), 'ordered by (t, seq)');
  }
  const fwd: number[] = [];
  let page = eventsPage(store.db, { limit: 97 });
  fwd.push(...page.rows.map((r) => r.seq));
  while (page.next) {
    page = eventsPage(store.db, { after: page.next, limit: 97 });
    fwd.push(...page.rows.map((r) => r.seq));
  }
  assert.deepEqual(fwd, all.map((r) => r.seq));
  const back: number[] = [];
  page = eventsPage(store.db, { before: `${all.at(-1)!.t}:${all.at(-1)!.seq + 1}`, limit: 97 });
  back.unshift(...page.rows.map((r) => r.seq));
  while (page.prev) {
    page = eventsPage(store.db, { before: page.prev, limit: 97 });
    back.unshift(...page.rows.map((r) => r.seq));
  }
  assert.deepEqual(back, all.map((r) => r.seq));
  const d = eventDetail(store.db, all[0]!.seq)!;
  assert.equal(d.kind, all[0]!.kind);
  assert.deepEqual(d.data, events.find((e) => e.kind === d.kind && e.ts === d.data.ts && e.pid === d.data.pid));
});

test('containers: metadata, first/last seen, activity adds up to its events', () => {
  const list = listContainers(store.db, {});
  assert.equal(list.containers.length, 1);
  const c = list.containers[0]!;
  const line = events.find((e) => e.kind === 'container')!;
  assert.equal(c.cid, cid);
  assert.equal(c.pod, line.pod);
  assert.equal(c.namespace, 'shop');
  assert.equal(c.annotations['io.kubernetes.container.name'], 'web');
  const n = events.filter((e) => e.cid === cid).length;
  assert.equal(c.events, n);
  assert.equal(c.activity.reduce((a, b) => a + b, 0), n);
  assert.ok(c.firstT! <= c.lastT!);
  const fine = listContainers(store.db, { bucketSeconds: 1 });
  assert.equal(fine.containers[0]!.activity.reduce((a, b) => a + b, 0), n);
  assert.ok(c.processes > 5);
});

test('database info lists the capture and its node', () => {
  const info = databaseInfo(store);
  assert.equal(info.captures.length, 1);
  assert.equal(info.captures[0]!.state, 'complete');
  assert.equal(info.captures[0]!.events, events.length);
  assert.equal(info.nodes[0]!.bootId, parsed[0]!.node.boot_id);
  assert.ok(info.sizeBytes > 0);
});

test('importing the same capture again is a no-op', async () => {
  const before = overview(store).events;
  const r = await importCapture(store, SAMPLE);
  assert.equal(r.skipped, true);
  assert.equal(overview(store).events, before);
});

test('several kinds page in time order; kind filters combine with process, container and cursors', () => {
  const all = eventsPage(store.db, { limit: 5000 }).rows;
  const kinds = ['exec', 'net', 'exit'];
  const want = all.filter((r) => kinds.includes(r.kind)).map((r) => r.seq);
  const got: number[] = [];
  let page = eventsPage(store.db, { kinds, limit: 13 });
  got.push(...page.rows.map((r) => r.seq));
  while (page.next) {
    page = eventsPage(store.db, { kinds, after: page.next, limit: 13 });
    got.push(...page.rows.map((r) => r.seq));
  }
  assert.deepEqual(got, want);
  const back = eventsPage(store.db, { kinds, before: page.next ?? `${all.at(-1)!.t}:${all.at(-1)!.seq + 1}`, limit: 13 });
  assert.deepEqual(back.rows.map((r) => r.seq), want.slice(-13));
  const [hit] = processSearch(store.db, 'httpd -f');
  const id = hit!.process.id;
  const own = eventsPage(store.db, { process: id, limit: 5000 }).rows;
  const mixed = eventsPage(store.db, { process: id, kinds: ['net', 'exec'], container: cid, limit: 5000 }).rows;
  assert.deepEqual(mixed.map((r) => r.seq), own.filter((r) => r.kind === 'net' || r.kind === 'exec').map((r) => r.seq));
  assert.ok(mixed.length >= 3);
});

test('events sorted by time, kind, container or process: keyset pages both ways match the full order', () => {
  const keys = new Map(
    store.db
      .prepare<[], { seq: number; kind: string; container: number | null; proc: number | null }>('SELECT seq, kind, container, proc FROM events')
      .all()
      .map((r) => [r.seq, r]),
  );
  const keyOf = (sort: string, seq: number): string | number | null => {
    const k = keys.get(seq)!;
    return sort === 'kind' ? k.kind : sort === 'container' ? k.container : sort === 'process' ? k.proc : 0;
  };
  const cmpKey = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  const all = eventsPage(store.db, { limit: 5000 }).rows;
  const [httpd] = processSearch(store.db, 'httpd -f');
  const filters: EventsPageQuery[] = [
    {},
    { kinds: ['exec', 'open', 'net'] },
    { from: all[Math.floor(all.length / 3)]!.t, to: all[Math.floor((2 * all.length) / 3)]!.t },
    { kinds: ['open'], from: all[Math.floor(all.length / 2)]!.t },
    { container: cid.slice(0, 8) },
    { container: cid, from: all[Math.floor(all.length / 2)]!.t },
    { process: httpd!.process.id, subtree: true },
    { process: httpd!.process.id, from: all[Math.floor(all.length / 2)]!.t },
    { text: 'etc' },
  ];
  let checked = 0;
  for (const filter of filters) {
    const matching = eventsPage(store.db, { ...filter, limit: 5000 }).rows;
    assert.ok(matching.length > 0, JSON.stringify(filter));
    for (const sort of EVENT_SORTS) {
      for (const desc of [false, true]) {
        const label = `${JSON.stringify(filter)} by ${sort}${desc ? ' desc' : ''}`;
        const want = [...matching].sort((a, b) => cmpKey(keyOf(sort, a.seq), keyOf(sort, b.seq)) || a.t - b.t || a.seq - b.seq).map((r) => r.seq);
        if (desc) want.reverse();
        const q: EventsPageQuery = { ...filter, sort, desc };
        const got: number[] = [];
        let page = eventsPage(store.db, { ...q, limit: 7 });
        got.push(...page.rows.map((r) => r.seq));
        while (page.next) {
          page = eventsPage(store.db, { ...q, after: page.next, limit: 7 });
          got.push(...page.rows.map((r) => r.seq));
        }
        assert.deepEqual(got, want, label);
        // Backwards from the last row: every row before it, in the same order.
        const lastRow = matching.find((r) => r.seq === want[want.length - 1])!;
        const back: number[] = [];
        page = eventsPage(store.db, { ...q, before: `${lastRow.t}:${lastRow.seq}`, limit: 7 });
        back.unshift(...page.rows.map((r) => r.seq));
        while (page.prev) {
          page = eventsPage(store.db, { ...q, before: page.prev, limit: 7 });
          back.unshift(...page.rows.map((r) => r.seq));
        }
        assert.deepEqual(back, want.slice(0, -1), `${label}, backwards`);
        checked++;
      }
    }
  }
  assert.equal(checked, filters.length * EVENT_SORTS.length * 2);
  // What the console offers: time always; another key when no filter on a different key would
  // leave its index scanning.
  assert.deepEqual(eventSortsFor({}), ['time', 'kind', 'container', 'process']);
  assert.deepEqual(eventSortsFor({ kinds: ['exec'], from: 1 }), ['time', 'kind']);
  assert.deepEqual(eventSortsFor({ container: 'x' }), ['time', 'container']);
  assert.deepEqual(eventSortsFor({ process: 1, subtree: true }), ['time', 'process']);
  assert.deepEqual(eventSortsFor({ process: 1, subtree: true, from: 1 }), ['time']);
  assert.deepEqual(eventSortsFor({ from: 1, text: 'x' }), ['time', 'kind', 'container']);
});
