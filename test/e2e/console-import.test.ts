/**
 * An empty investigation, then a capture opened from the Start view: every view's empty state says
 * what to do next, the import starts from a typed path, and the views show the capture without a
 * reload of the page.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, openConsolePage, type ConsolePage } from './harness';

let page: Page;
let errors: string[] = [];
let ui: ConsolePage;

before(async () => {
  ui = await openConsolePage([]);
  ({ page, errors } = ui);
});
after(async () => {
  await ui?.close();
});

const nav = (label: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(`^${label}`) }).click();

test('empty states say what to do; a capture opened from Start fills the views', async () => {
  await page.getByRole('heading', { name: 'Nothing captured yet' }).waitFor();
  await nav('Events');
  await page.getByText(/^Nothing captured yet: open a capture/).waitFor();
  await nav('Processes');
  await page.getByRole('heading', { name: 'No processes in this investigation' }).waitFor();
  await nav('Start');
  await page.getByText('No capture yet: open one, or connect to a node.').waitFor();
  await page.getByRole('textbox', { name: 'Capture path' }).fill(join(ROOT, 'assets', 'sample-capture.jsonl.gz'));
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByText(/^Importing — progress and Cancel are in the top bar/).waitFor();
  await nav('Events');
  await page.locator('.etable-row').first().waitFor({ timeout: 20000 });
  await page.waitForFunction(() => /of 1,\d{3} events/.test(document.querySelector('[data-testid=events-status]')?.textContent ?? ''), null, { timeout: 20000 });
  await nav('Start');
  await page.getByRole('cell', { name: 'complete' }).waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: /sample-capture\.jsonl\.gz$/ }).waitFor(); // recently opened here
  assert.deepEqual(errors, []);
});
