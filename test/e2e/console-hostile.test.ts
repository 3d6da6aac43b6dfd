/**
 * A hostile capture renders as inert, readable text. The capture is the real sample recording
 * (assets/sample-capture.jsonl.gz) with string fields replaced: argv, exec filenames, open paths,
 * comm, container id, name and pod now hold HTML, script tags, bidi overrides, control bytes and a
 * 64 KiB argument. Each replacement stays within the bounds shared/events.ts accepts for that field
 * (paths 4096, container names 256, comm 64; argv items up to 128 KiB), so every line is imported.
 * If anything ran, it would set `window.__pwned` or open a dialog.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, ROOT, SHOTS, startConsole, type ConsoleProcess } from './harness';

const PWN = 'window.__pwned=1;alert(1)';
const HTML = `<img src=x onerror="${PWN}"><b onmouseover="${PWN}">bold</b>`;
const SCRIPT = `<script>${PWN}</script>`;
const BIDI = 'invoice\u202Efdp.exe'; // shows as "invoiceexe.pdf" when the override is honoured
const CTRL = 'bell\u0007esc\u001b[31mred\u0000nul\r\nnewline';
const BIG = 'A'.repeat(64 * 1024);
const CID = `<svg onload="${PWN}">\u202Ectr`;

function hostileCapture(): string {
  const lines = gunzipSync(readFileSync(join(ROOT, 'assets', 'sample-capture.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean);
  const out: string[] = [];
  for (const line of lines) {
    const v = JSON.parse(line) as Record<string, unknown>;
    if ('tracehound_capture' in v) continue; // header dropped: the import identifies the file by content
    if (typeof v.cid === 'string') v.cid = CID;
    if (v.comm === 'diag') v.comm = `<i>diag</i>\u202E${'\u0007'}`;
    if (v.kind === 'container') {
      v.name = `${SCRIPT}\u202Eweb`;
      v.pod = `${HTML}`.slice(0, 256);
    }
    if (v.kind === 'exec' && Array.isArray(v.argv) && (v.argv as string[]).includes('id')) {
      v.argv = ['sh', '-c', HTML, SCRIPT, BIDI, CTRL, BIG];
      v.filename = `/tmp/${HTML}/${BIDI}`;
    }
    if (v.kind === 'open' && typeof v.path === 'string' && (v.path as string).startsWith('/etc/passwd')) v.path = `/etc/${SCRIPT}${BIDI}${CTRL}`;
    out.push(JSON.stringify(v));
  }
  const dir = mkdtempSync(join(tmpdir(), 'th-hostile-'));
  const file = join(dir, 'hostile.jsonl');
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

let app: ConsoleProcess;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const consoleLines: string[] = [];
const errors: string[] = [];

before(async () => {
  app = await startConsole([hostileCapture()]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByRole('button', { name: /^Events: [1-9]/ }).waitFor({ timeout: 20000 });
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

const nav = (label: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(`^${label}`) }).click();

async function assertInert(view: string) {
  const state = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    scripts: document.querySelectorAll('script').length,
    handlers: document.querySelectorAll('[onerror],[onload],[onmouseover]').length,
    injected: document.querySelectorAll('img, i, b, svg [onload]').length,
    pageWidth: document.documentElement.scrollWidth,
    bodyHeight: document.documentElement.scrollHeight,
  }));
  assert.equal(state.pwned, undefined, `${view}: a hostile string ran`);
  assert.equal(state.scripts, 1, `${view}: only the console's own script`);
  assert.equal(state.handlers, 0, `${view}: an element with an event-handler attribute exists`);
  assert.equal(state.injected, 0, `${view}: markup from the capture became elements`);
  // Layout holds: nothing pushes the page wider or taller than the window.
  assert.ok(state.pageWidth <= 1366, `${view}: page ${state.pageWidth}px wide`);
  assert.ok(state.bodyHeight <= 768, `${view}: page ${state.bodyHeight}px tall`);
}

test('process tree and details show hostile argv, comm and container names as visible text', async () => {
  await nav('Processes');
  await page.getByRole('searchbox', { name: 'Find process' }).fill('onerror');
  await page.getByRole('searchbox', { name: 'Find process' }).press('Enter');
  const row = page.locator('.ptree-row.selected');
  await row.waitFor();
  const text = await row.innerText();
  assert.ok(text.includes('<img src=x onerror='), text.slice(0, 300));
  assert.ok(text.includes(SCRIPT), 'script tag shown as text');
  // A bidi override and control bytes are shown as markers, never applied.
  assert.ok(text.includes('invoice⟨RLO⟩fdp.exe'), text.slice(0, 600));
  assert.ok(!text.includes('\u202E'));
  const details = page.getByRole('complementary', { name: 'Process details' });
  const d = await details.innerText();
  assert.ok(d.includes('bell\\x07esc\\x1b[31mred\\0nul\\r\\nnewline'), d.slice(0, 2000));
  // The 64 KiB argument is bounded with an expander; the row and the pane keep their size.
  const more = details.getByRole('button', { name: /Show all 65,536 characters/ });
  await more.waitFor();
  const before = (await details.boundingBox())!;
  await more.click();
  const afterBox = (await details.boundingBox())!;
  assert.equal(Math.round(afterBox.width), Math.round(before.width));
  assert.ok((await row.boundingBox())!.height <= 30);
  await assertInert('processes');
  await page.screenshot({ path: join(SHOTS, 'hostile-processes.png') });
});

test('events table, details and container views keep hostile strings inert', async () => {
  await nav('Events');
  await page.getByRole('searchbox', { name: 'Filter text' }).fill('onerror');
  await page.locator('.etable-row').first().waitFor();
  await page.locator('.etable-row').first().dblclick();
  const json = await page.getByTestId('event-json').innerText();
  assert.ok(json.includes('\\u202e'), 'the override is escaped in the JSON');
  const exec = page.locator('.etable-row').filter({ has: page.locator('.col-kind', { hasText: /^exec$/ }) }).first();
  assert.match(await exec.locator('.col-summary').innerText(), /invoice⟨RLO⟩fdp\.exe/);
  assert.match(await page.locator('.etable-row .col-cid').first().innerText(), /^<svg onload="window\.__pwned/);
  await page.getByRole('searchbox', { name: 'Filter text' }).fill('');
  await assertInert('events');
  await page.screenshot({ path: join(SHOTS, 'hostile-events.png') });
  await nav('Containers');
  await page.locator('.tl-lane').first().waitFor();
  const label = (await page.locator('.tl-label').first().textContent()) ?? '';
  assert.ok(label.startsWith('<img src=x'), label);
  await assertInert('containers');
  await nav('Network');
  await page.locator('.net-node').first().waitFor();
  await assertInert('network');
  await nav('Policies');
  await page.getByTestId('policy-text').waitFor();
  // The workload list names the pod by its hostile name, as text.
  const workloads = await page.getByRole('complementary', { name: 'Workloads' }).innerText();
  assert.ok(workloads.includes('<img src=x onerror='), workloads.slice(0, 300));
  await assertInert('policies');
  await nav('Overview');
  await assertInert('overview');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(
    consoleLines.filter((l) => /pwned|alert/i.test(l)),
    [],
  );
  assert.deepEqual(errors, []);
});
