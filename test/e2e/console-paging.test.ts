/**
 * The events table past one window: 230,000 events (the sample recording replicated with shifted
 * pids and times, bench/replicate.ts) — more than the 200,000 rows one window holds. Scrolling to the
 * end of the window offers the next one (never a silent cap); the next window starts where the first
 * ended and runs to the end of the events; Previous comes back. Sorting is the store's: newest
 * first starts at the last event, and by kind the rows follow the store's (kind, t, seq) order
 * across page boundaries. On the same investigation (about 15,000 processes), Expand all loads the
 * process tree in pages with its progress shown, and stops when asked.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { readCaptureLines, replicate } from '../../bench/replicate';
import { launchBrowser, ROOT, startConsole, type ConsoleProcess } from './harness';

const EVENTS = 230_000;
let app: ConsoleProcess;
let browser: Browser;
let page: Page;
let dbPath: string;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'th-paging-'));
  const capture = join(dir, 'big.jsonl.gz');
  await replicate(readCaptureLines(join(ROOT, 'assets', 'sample-capture.jsonl.gz')), EVENTS, capture);
  dbPath = join(dir, 'big.db');
  execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.cjs'), 'import', capture, '--db', dbPath, '--quiet']);
  app = await startConsole([dbPath]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  // tsx names functions with a helper; functions sent to the page need it there too.
  await page.addInitScript('window.__name = (f) => f');
  await page.goto(app.url);
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

const status = () => page.getByTestId('events-status').innerText();

/** Scrolls the table to its end until `done` is visible. */
async function scrollUntil(done: () => Promise<boolean>) {
  for (let i = 0; i < 2000 && !(await done()); i++) {
    await page.getByTestId('events-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(20);
  }
}

test('scrolling past a window of rows offers the next window, and back', { timeout: 150_000 }, async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Events/ }).click();
  await page.locator('.etable-row').first().waitFor();
  const firstSeq = await page.locator('.etable-row').first().getAttribute('data-seq');
  const next = page.getByRole('button', { name: /^Next 200,000 rows/ });
  await scrollUntil(() => next.isVisible());
  assert.match(await status(), /^rows 1–200,000\+ of 230,000 events/);
  const lastOfFirst = Number(await page.locator('.etable-row').last().getAttribute('data-seq'));
  await next.click();
  await page.getByText(/^rows 200,001–/).waitFor();
  // The second window continues right after the first one's last row.
  assert.ok(Number(await page.locator('.etable-row').first().getAttribute('data-seq')) > lastOfFirst);
  await scrollUntil(() => page.getByText('End of the events.').isVisible());
  assert.match(await status(), /^rows 200,001–230,000 of 230,000 events/);
  await page.getByRole('button', { name: /^← Previous 200,000 rows/ }).click();
  await page.getByText(/^rows 1–/).waitFor();
  assert.equal(await page.locator('.etable-row').first().getAttribute('data-seq'), firstSeq);
});

/** The store's own order, read straight from the database file (what the table must show). */
function storeOrder(order: string, limit: number): number[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT seq FROM events ORDER BY ${order} LIMIT ?`).pluck().all(limit) as number[];
  } finally {
    db.close();
  }
}

/** Scrolls the table until row `index` is drawn, then returns the drawn rows as index → seq. */
async function rowsAt(index: number): Promise<Map<number, number>> {
  const row = page.locator(`.etable-row[data-index="${index}"]`);
  for (let i = 0; i < 400 && !(await row.count()); i++) {
    await page.getByTestId('events-scroller').evaluate((el, top) => (el.scrollTop = top), Math.max(0, index - 5) * 24);
    await page.waitForTimeout(25);
  }
  const drawn = await page.locator('.etable-row').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-index')), Number(e.getAttribute('data-seq'))] as const));
  return new Map(drawn);
}

test('sorting is the store\'s: newest first starts at the last event; by kind pages in order across page boundaries', { timeout: 120_000 }, async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Events/ }).click();
  await page.locator('.etable-row').first().waitFor();
  const header = (name: string) => page.getByRole('columnheader', { name: new RegExp(`^${name}`) });
  assert.equal(await header('Time').getAttribute('aria-sort'), 'ascending');
  // No index orders events by pid: its header is a label, not a sort button.
  assert.equal(await header('PID').getAttribute('aria-sort'), null);

  await header('Time').click();
  await page.getByText(/ · newest first$/).waitFor();
  const [last] = storeOrder('t DESC, seq DESC', 1);
  await page.waitForFunction((seq) => document.querySelector('.etable-row')?.getAttribute('data-seq') === String(seq), last);
  assert.match(await status(), /^rows 1–[\d,]+\+ of 230,000 events · newest first$/);
  assert.equal(await header('Time').getAttribute('aria-sort'), 'descending');

  // By kind: the first page (200 rows), the next pages (2,000 each) and the first change of kind
  // all line up with the store's order.
  await header('Kind').click();
  await page.getByText(/ · by kind \(A→Z\), then time$/).waitFor();
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const firstKind = db.prepare('SELECT kind, count(*) AS n FROM events GROUP BY kind ORDER BY kind LIMIT 1').get() as { kind: string; n: number };
  db.close();
  const checks = [0, 199, 200, 2199, 2200, firstKind.n - 1, firstKind.n];
  const want = storeOrder('kind, t, seq', Math.max(...checks) + 200);
  for (const index of checks) {
    const drawn = await rowsAt(index);
    for (const [i, seq] of drawn) assert.equal(seq, want[i], `row ${i} (around ${index})`);
  }
  assert.notEqual(await page.locator(`.etable-row[data-index="${firstKind.n - 1}"] .col-kind`).innerText(), await page.locator(`.etable-row[data-index="${firstKind.n}"] .col-kind`).innerText());

  // A kind filter leaves containers unsortable (the store would scan): offered, but not clickable.
  await page.getByLabel('Event kind').selectOption('exec');
  await page.locator('.etable-row .col-kind', { hasText: 'exec' }).first().waitFor();
  assert.equal(await header('Container').getAttribute('aria-disabled'), 'true');
  await page.getByLabel('Event kind').selectOption('');
  await header('Time').click();
  await page.getByText(/^rows 1–[\d,]+\+ of 230,000 events$/).waitFor();
});

const nav = (label: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(`^${label}`) }).click();
const loaded = async () => Number(/^([\d,]+) loaded/.exec(await page.locator('.processes-view .view-header p').first().innerText())?.[1]?.replace(/,/g, ''));

test('Expand all loads every process with its progress shown; Stop leaves a consistent tree', { timeout: 120_000 }, async () => {
  await nav('Overview');
  const tile = await page.getByRole('button', { name: /^Processes: [1-9]/ }).innerText();
  const total = Number(/([\d,]+)/.exec(tile)![1]!.replace(/,/g, ''));
  assert.ok(total > 10_000, `processes: ${total}`);
  await nav('Processes');
  await page.getByRole('treeitem').first().waitFor();
  const before = await loaded();
  assert.ok(before < total, `the tree starts partly loaded (${before} of ${total})`);

  // Stop right away: the walk ends, nodes it had opened get the rest of their children, nothing
  // is left waiting ("…").
  // In one go in the page: a walk ends in well under a second on this investigation.
  const stopped = await page.evaluate(async () => {
    const buttons = () => [...document.querySelectorAll('button')];
    buttons()
      .find((b) => b.textContent === 'Expand all')!
      .click();
    for (let i = 0; i < 10 && !buttons().some((b) => b.textContent === 'Stop'); i++) await new Promise((r) => requestAnimationFrame(r));
    const stop = buttons().find((b) => b.textContent === 'Stop');
    stop?.click();
    return stop !== undefined;
  });
  assert.ok(stopped, 'the progress line offers Stop');
  const progress = page.getByTestId('expand-progress');
  await progress.waitFor({ state: 'detached' });
  await page.waitForFunction(() => ![...document.querySelectorAll('.twisty')].some((t) => t.textContent === '…'), null, { timeout: 20_000 });
  assert.ok((await loaded()) < total, 'stopped before the end');

  // Again, to the end: the progress counts up to every process of the investigation.
  await page.evaluate(() => {
    const texts: string[] = [];
    const mo = new MutationObserver(() => {
      const t = document.querySelector('[data-testid=expand-progress]')?.textContent;
      if (t && texts[texts.length - 1] !== t) texts.push(t);
    });
    mo.observe(document.body, { subtree: true, childList: true, characterData: true });
    (window as unknown as { __progress: string[] }).__progress = texts;
  });
  await page.getByRole('button', { name: 'Expand all' }).click();
  await page.waitForFunction(
    () => (window as unknown as { __progress: string[] }).__progress.length > 0 && !document.querySelector('[data-testid=expand-progress]'),
    null,
    { timeout: 60_000 },
  );
  assert.equal(await loaded(), total);
  const texts = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  assert.ok(
    texts.some((t) => new RegExp(`^Expanding… [\\d,]+ of ${total.toLocaleString('en-US')} processes`).test(t)),
    texts.slice(0, 5).join(' | '),
  );
  // Every row is open down to the leaves, at the top and at the bottom of the tree.
  const closed = () => page.locator('[role=treeitem][aria-expanded=false]').count();
  assert.equal(await closed(), 0);
  await page.getByTestId('tree-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.waitForTimeout(100);
  assert.equal(await closed(), 0);
  const rows = await page.getByTestId('tree-scroller').evaluate((el) => Math.round((el.firstElementChild as HTMLElement).getBoundingClientRect().height / 26));
  assert.equal(rows, total - Number(/\(([\d,]+) hidden\)/.exec(await page.locator('.ptree-bar').innerText())?.[1]?.replace(/,/g, '') ?? 0));
  await page.getByRole('button', { name: 'Collapse all' }).click();
  assert.ok((await page.getByRole('treeitem').count()) > 0);
});
