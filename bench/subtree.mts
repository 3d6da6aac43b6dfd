// The paged process-subtree walk behind "Expand all" (processSubtree), page by page:
//   node --import tsx bench/subtree.mts [processes=100000] [database]
// 1. A synthetic host in a fresh database: one root and N processes, 30% of them children of the
//    root (a systemd-like fan-out), the others under a random earlier process. Every page of 2,000
//    is timed, first / middle / last / worst, to show a page costs the same at any depth.
// 2. With a database (e.g. one imported by `tracehound import`): every root's subtree, one page of
//    2,000 after the other, as Expand all asks for them (total time, rows).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../electron/core/store/store';
import { processSubtreePage } from '../electron/core/store/queries/processes';

const N = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'th-subtree-'));
const store = openStore(join(dir, 'synthetic.db'));
const db = store.db;
db.prepare("INSERT INTO nodes (id, boot_id, hostname, hello) VALUES (1, 'bench', 'bench', '{}')").run();
const insert = db.prepare(
  "INSERT INTO processes (id, node, pid, start_key, parent, origin, comm, argv, cmdline, first_t) VALUES (?, 1, ?, ?, ?, 'fork', 'worker', '[\"worker\",\"--serve\"]', 'worker --serve', ?)",
);
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
db.transaction(() => {
  insert.run(1, 1, 1, null, 0);
  for (let i = 2; i <= N; i++) insert.run(i, i, i, random() < 0.3 ? 1 : 1 + Math.floor(random() * (i - 1)), i * 1000);
})();

function walk(id: number): { pages: number[]; rows: number } {
  const pages: number[] = [];
  let rows = 0;
  let after: number | undefined;
  for (;;) {
    const t = performance.now();
    const page = processSubtreePage(db, { id, after, limit: 2000 })!;
    pages.push(performance.now() - t);
    rows += page.rows.length;
    if (page.next === null) return { pages, rows };
    after = page.next;
  }
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const w = walk(1);
console.log(
  `synthetic host, ${N} processes under one root: ${w.pages.length} pages, ${w.rows} rows, ${ms(w.pages.reduce((a, b) => a + b, 0))};` +
    ` page of 2,000 first ${ms(w.pages[0]!)}, middle ${ms(w.pages[w.pages.length >> 1]!)}, last ${ms(w.pages[w.pages.length - 1]!)}, worst after the first ${ms(Math.max(...w.pages.slice(1)))}`,
);
store.close();
rmSync(dir, { recursive: true, force: true });

if (process.argv[3]) {
  const real = openStore(process.argv[3]);
  const roots = real.db.prepare<[], number>('SELECT id FROM processes WHERE parent IS NULL ORDER BY id').pluck().all();
  const t = performance.now();
  let rows = 0;
  let pages = 0;
  for (const id of roots) {
    let after: number | undefined;
    do {
      const page = processSubtreePage(real.db, { id, after, limit: 2000 })!;
      rows += page.rows.length;
      pages++;
      after = page.next ?? undefined;
    } while (after !== undefined);
  }
  console.log(`${process.argv[3]}: ${roots.length} roots, ${pages} pages, ${rows} rows in ${ms(performance.now() - t)}`);
  real.close();
}
