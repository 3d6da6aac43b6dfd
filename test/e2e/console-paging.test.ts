/**
 * The events table past one window: 230,000 events (the sample recording replicated with shifted
 * pids and times, bench/replicate.ts) — more than the 200,000 rows one window holds. Scrolling to the
 * end of the window offers the next one (never a silent cap); the next window starts where the first
 * ended and runs to the end of the events; Previous comes back.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { readCaptureLines, replicate } from '../../bench/replicate';
import { launchBrowser, ROOT, startConsole, type ConsoleProcess } from './harness';

const EVENTS = 230_000;
let app: ConsoleProcess;
let browser: Browser;
let page: Page;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'th-paging-'));
  const capture = join(dir, 'big.jsonl.gz');
  await replicate(readCaptureLines(join(ROOT, 'assets', 'sample-capture.jsonl.gz')), EVENTS, capture);
  const db = join(dir, 'big.db');
  execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.cjs'), 'import', capture, '--db', db, '--quiet']);
  app = await startConsole([db]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
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
