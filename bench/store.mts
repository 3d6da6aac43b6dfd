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
store.close();
