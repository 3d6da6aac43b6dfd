// Query latencies on the 1M-event database left by bench/ingest.mts: what each console view asks.
//   node --import tsx bench/store.mts [database=/tmp/tracehound-bench/pipeline.db]
import { openStore } from '../electron/core/store/store';
import { eventsPage } from '../electron/core/store/queries/events';
import { processAncestors, processChildren, processRoots, processSearch, processSubtree } from '../electron/core/store/queries/processes';
import { processDetails } from '../electron/core/store/queries/details';
import { listContainers } from '../electron/core/store/queries/containers';
import { overview } from '../electron/core/store/queries/overview';

const store = openStore(process.argv[2] ?? '/tmp/tracehound-bench/pipeline.db');
const db = store.db;
function time(name: string, f: () => unknown, runs = 10): void {
  f();
  const t = performance.now();
  for (let i = 0; i < runs; i++) f();
  console.log(`${name.padEnd(44)} ${((performance.now() - t) / runs).toFixed(2)} ms`);
}
const n = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
const procs = db.prepare('SELECT count(*) FROM processes').pluck().get() as number;
console.log(`${n} events, ${procs} processes`);
const deep = db.prepare("SELECT id FROM processes WHERE cmdline LIKE '/tmp/nc%' ORDER BY id DESC LIMIT 1").pluck().get() as number;
const httpd = db.prepare("SELECT id FROM processes WHERE comm = 'httpd' ORDER BY id DESC LIMIT 1").pluck().get() as number;
const cid = (db.prepare('SELECT cid FROM containers ORDER BY id DESC LIMIT 1').pluck().get() as string) ?? '';
const span = db.prepare('SELECT (SELECT min(t) FROM events) lo, (SELECT max(t) FROM events) hi').get() as { lo: number; hi: number };
const mid = Math.floor((span.lo + span.hi) / 2);
time('overview', () => overview(store));
time('process roots (host)', () => processRoots(db, {}));
time('process roots (one container)', () => processRoots(db, { container: cid }));
time('children of httpd', () => processChildren(db, httpd));
time('ancestors of /tmp/nc', () => processAncestors(db, deep));
time('subtree of httpd', () => processSubtree(db, httpd));
time('search "shadow" (name/argv/path)', () => processSearch(db, 'shadow', 200));
time('process details (/tmp/nc)', () => processDetails(db, deep));
time('containers + activity (120 buckets)', () => listContainers(db, {}));
time('events page, first', () => eventsPage(db, { limit: 100 }));
time('events page at mid time', () => eventsPage(db, { from: mid, limit: 100 }));
time('events page kind=net at mid time', () => eventsPage(db, { kinds: ['net'], from: mid, limit: 100 }));
time('events page kind=module (none stored)', () => eventsPage(db, { kinds: ['module'], limit: 100 }));
time('events page container at mid time', () => eventsPage(db, { container: cid, from: mid, limit: 100 }));
time('events page pid subtree of httpd', () => eventsPage(db, { process: httpd, subtree: true, limit: 100 }));
time('events page text "/etc/shadow"', () => eventsPage(db, { text: '/etc/shadow', limit: 100 }), 3);
time('events page text, no match (full scan)', () => eventsPage(db, { text: 'no-such-text-anywhere', limit: 100 }), 2);


// Sorted pages at depth: the page of 200 rows (the table's first page) and of 2,000 (its next
// pages) after the row at 0 / 25 / 50 / 75 / 99.9% of each order, ascending and descending. The
// cursor rows are found with OFFSET here, once (the store itself never uses OFFSET).
const ORDER = { time: 't, seq', kind: 'kind, t, seq', container: 'container, t, seq', process: 'proc, t, seq' } as const;
for (const sort of ['time', 'kind', 'container', 'process'] as const) {
  for (const desc of [false, true]) {
    const order = ORDER[sort]
      .split(', ')
      .map((c) => `${c} ${desc ? 'DESC' : 'ASC'}`)
      .join(', ');
    const cells: string[] = [];
    for (const depth of [0, 0.25, 0.5, 0.75, 0.999]) {
      const at = db.prepare(`SELECT t, seq FROM events ORDER BY ${order} LIMIT 1 OFFSET ?`).get(Math.floor(depth * (n - 1))) as { t: number; seq: number };
      const after = depth === 0 ? undefined : `${at.t}:${at.seq}`;
      const ms = (limit: number) => {
        eventsPage(db, { sort, desc, after, limit });
        const t = performance.now();
        for (let i = 0; i < 5; i++) eventsPage(db, { sort, desc, after, limit });
        return ((performance.now() - t) / 5).toFixed(1);
      };
      cells.push(`${depth * 100}%: ${ms(200)}/${ms(2000)}`);
    }
    console.log(`page by ${sort}${desc ? ' desc' : ''} (200/2000 rows, ms)`.padEnd(44), cells.join('  '));
  }
}
time('page by kind within a time range (mid)', () => eventsPage(db, { sort: 'kind', from: mid, to: mid + 60_000_000, limit: 200 }));
time('page by container, one container', () => eventsPage(db, { sort: 'container', container: cid, limit: 200 }));
time('page by process, subtree of httpd', () => eventsPage(db, { sort: 'process', process: httpd, subtree: true, limit: 200 }));
time('page by time desc, kind=exec', () => eventsPage(db, { desc: true, kinds: ['exec'], limit: 200 }));
time('page by time desc, text "/etc/shadow"', () => eventsPage(db, { desc: true, text: '/etc/shadow', limit: 200 }), 3);
store.close();
