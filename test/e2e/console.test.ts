/**
 * The console on the bundled sample capture (a real recording of an intrusion into a runc
 * container): open it, follow the intrusion's process chain, filter events to it, brush the
 * timeline. Screenshots of each view go to docs/screenshots/ (1366×768, the smallest laptop
 * screen a responder is likely to have).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RULES } from '../../shared/alerts';
import { ROOT, openConsolePage, type ConsolePage } from './harness';

const SAMPLE = join(ROOT, 'assets', 'sample-capture.jsonl.gz');
const DOCS = join(ROOT, 'docs', 'screenshots');

let page: Page;
let errors: string[] = [];
let ui: ConsolePage;

const nav = (label: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(`^${label}`) }).click();
const shot = (name: string) => page.screenshot({ path: join(DOCS, `${name}.png`) });
const eventsStatus = () => page.getByTestId('events-status').innerText();
const loadedRows = async () => Number(/rows [\d,]+–([\d,]+)/.exec(await eventsStatus())?.[1]?.replace(/,/g, '') ?? 'NaN');

before(async () => {
  mkdirSync(DOCS, { recursive: true });
  ui = await openConsolePage([SAMPLE]);
  ({ page, errors } = ui);
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
});
after(async () => {
  await ui?.close();
});

test('the overview summarises the sample capture and its tiles open filtered views', async () => {
  // The import runs in the background; the tiles refresh as events arrive.
  await page.getByRole('button', { name: /^Events: [1-9]/ }).waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: /^Processes: [1-9]/ }).waitFor();
  // The detection rules flag the intrusion; the list says what happened in one line each.
  const alerts = page.getByRole('list', { name: 'Alerts' });
  await alerts.getByRole('button').first().waitFor();
  const titles = await alerts.locator('.alert-title').allInnerTexts();
  assert.ok(titles.length > 0 && titles.every((t) => RULES.some((r) => r.title === t)), titles.join(' | '));
  await shot('overview');
  await page.getByRole('button', { name: /^Files opened:/ }).click();
  await page.locator('.etable-row').first().waitFor();
  const kinds = await page.locator('.etable-row .col-kind').allInnerTexts();
  assert.ok(kinds.length > 0);
  assert.deepEqual([...new Set(kinds)], ['open']);
  await page.getByRole('button', { name: 'Files', exact: true }).click(); // quick filter off again
});

test('the intrusion chain: find the injected shell, expand to it, read its ancestry', async () => {
  await nav('Processes');
  await page.getByRole('tree', { name: 'Process tree' }).waitFor();
  const tree = page.getByRole('tree', { name: 'Process tree' });
  await tree.waitFor();
  await page.getByRole('treeitem').filter({ hasText: 'httpd -f -p 8080' }).waitFor();
  // An alert opens its process in the tree, with the alert mark; the details say why.
  await nav('Overview');
  const first = page.getByRole('list', { name: 'Alerts' }).getByRole('button').first();
  const title = await first.locator('.alert-title').innerText();
  await first.click();
  const flagged = page.locator('.ptree-row.selected');
  await flagged.locator('.badge-alert').waitFor();
  await page.getByRole('complementary', { name: 'Process details' }).locator('.alert-inline', { hasText: title }).first().waitFor();
  // Collapse everything, then let search bring the match back: next expands collapsed ancestors.
  await page.getByRole('button', { name: 'Collapse all' }).click();
  assert.equal(await page.getByRole('treeitem').filter({ hasText: 'sh -c id' }).count(), 0);
  await page.getByRole('searchbox', { name: 'Find process' }).fill('sh -c id');
  await page.getByRole('searchbox', { name: 'Find process' }).press('Enter');
  const hit = page.getByRole('treeitem').filter({ hasText: 'sh -c id' }).first();
  await hit.waitFor();
  assert.equal(await hit.getAttribute('aria-selected'), 'true');
  assert.match(await page.getByTestId('tree-matches').innerText(), /^1 of \d+/);
  assert.equal(await hit.locator('mark').first().innerText(), 'sh -c id');
  // The breadcrumb names the chain from the web server down to the shell.
  const crumbs = await page.getByRole('navigation', { name: 'Ancestors' }).innerText();
  assert.match(crumbs, /runc.*httpd.*httpd.*diag.*exe/s);
  const details = page.getByRole('complementary', { name: 'Process details' });
  await details.getByText('Events of this process').waitFor();
  await details.locator('.plain-list li').first().waitFor();
  await shot('processes');
});

test('events filtered to the intrusion: the subtree of the exploited worker', async () => {
  // Select the httpd worker that ran the injected command, then its subtree's events.
  await page.getByRole('navigation', { name: 'Ancestors' }).getByRole('button', { name: /^httpd/ }).last().click();
  await page.getByRole('button', { name: 'Events of its subtree' }).click();
  await page.locator('.etable-row').first().waitFor();
  await page.getByText(/^Subtree of httpd/).waitFor();
  await page.waitForFunction(() => !/loading/.test(document.querySelector('[data-testid=events-status]')?.textContent ?? 'loading'));
  const status = await eventsStatus();
  const shown = await loadedRows();
  const total = Number(/of ([\d,]+) events/.exec(status)?.[1]?.replace(/,/g, ''));
  assert.ok(shown > 0 && shown < total, status);
  const comms = new Set(await page.locator('.etable-row .col-comm').allInnerTexts());
  for (const c of comms) assert.ok(['httpd', 'diag', 'exe', 'sh', 'sed', 'id', ''].includes(c), `unexpected ${c} in the subtree`);
  assert.ok(comms.has('diag'), [...comms].join(','));
  // Row details as JSON.
  await page.locator('.etable-row').filter({ hasText: 'exec' }).first().dblclick();
  const json = await page.getByTestId('event-json').innerText();
  assert.match(json, /"kind": "exec"/);
  await shot('events');
  await page.getByRole('button', { name: 'Remove process filter' }).click();
  await page.waitForFunction((n) => {
    const m = /rows [\d,]+–([\d,]+)/.exec(document.querySelector('[data-testid=events-status]')?.textContent ?? '');
    return m && Number(m[1]!.replace(/,/g, '')) > n;
  }, shown);
});

test('a field of the lines as a column: the paths and ports behind the intrusion', async () => {
  const applyText = async (t: string) => {
    await page.getByRole('searchbox', { name: 'Filter text' }).fill(t);
    await page.getByRole('searchbox', { name: 'Filter text' }).press('Enter');
  };
  await nav('Events');
  await page.getByRole('button', { name: /^Columns/ }).click();
  const chooser = page.getByRole('dialog', { name: 'Columns' });
  await chooser.getByRole('searchbox', { name: 'Find a field' }).fill('port');
  await chooser.locator('label[title^="dport:"] input').check();
  await chooser.getByRole('searchbox', { name: 'Find a field' }).fill('path');
  await chooser.locator('label[title^="path:"] input').check();
  await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'events-field-chooser.png') });
  await page.getByRole('button', { name: /^Columns \(\+2\)/ }).click();
  await page.getByRole('columnheader', { name: 'Path' }).waitFor();
  await page.getByRole('columnheader', { name: 'Destination port' }).waitFor();
  await applyText('shadow');
  await page.locator('.etable-row .col-field-path', { hasText: '/etc/shadow' }).first().waitFor();
  await applyText('4444');
  await page.locator('.etable-row .col-field-dport', { hasText: /^4444$/ }).first().waitFor();
  await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'events-field-columns.png') });
  await applyText('');
  // the choice stays across reloads, and can be undone
  await page.getByRole('button', { name: /^Columns/ }).click();
  await chooser.getByRole('searchbox', { name: 'Find a field' }).fill('');
  await chooser.locator('label[title^="path:"] input').uncheck();
  await chooser.locator('label[title^="dport:"] input').uncheck();
  await page.getByRole('button', { name: /^Columns$/ }).click();
  assert.equal(await page.getByRole('columnheader', { name: 'Path' }).count(), 0);
  assert.deepEqual(errors, []);
});

test('brushing the container timeline selects a time range that filters the events', async () => {
  await nav('Containers');
  const lane = page.locator('.tl-lane').first();
  await lane.waitFor();
  assert.match((await page.locator('.tl-group-text').first().textContent()) ?? '', /shop/);
  await page.locator('.tl-marker').first().waitFor(); // notable events are marked (they load after the lanes)
  await page.locator('.tl-lane .tl-label').first().click();
  await page.getByRole('button', { name: /^ctr / }).waitFor();
  const box = (await page.locator('.tl-life').first().boundingBox())!;
  const y = box.y + 26; // below the markers (they take clicks), on the activity strip
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 8 });
  await page.mouse.up();
  const chip = page.locator('.selbar .chip').filter({ hasText: /\d\d:\d\d:\d\d\.\d{3}–/ });
  await chip.waitFor();
  await shot('containers');
  await page.getByRole('button', { name: 'Zoom to range' }).click();
  await page.locator('.tl-marker').first().waitFor();
  await nav('Events');
  await page.locator('.filterbar .chip').filter({ hasText: '→' }).waitFor();
  await page.waitForFunction(() => !/loading/.test(document.querySelector('[data-testid=events-status]')?.textContent ?? 'loading'));
  const inRange = await loadedRows();
  await chip.click(); // clear the range
  await page.locator('.selbar .chip').filter({ hasText: /–/ }).waitFor({ state: 'detached' });
  await page.waitForFunction((n) => {
    const m = /rows [\d,]+–([\d,]+)/.exec(document.querySelector('[data-testid=events-status]')?.textContent ?? '');
    return m && Number(m[1]!.replace(/,/g, '')) > n;
  }, Number.isNaN(inRange) ? 0 : inRange);
  // The selected lane's container alone in the process tree; unchecking shows the host again.
  await nav('Processes');
  await page.getByRole('treeitem').first().waitFor();
  const items = page.getByRole('treeitem');
  const n = await items.count();
  assert.ok(n > 0);
  assert.equal(await page.locator('[role=treeitem]:not(:has(.badge-ctr))').count(), 0);
  await page.getByRole('checkbox', { name: 'Selected container only' }).uncheck();
  await page.getByRole('treeitem').filter({ hasText: 'bash assets/record-sample.sh' }).waitFor();
  await page.getByRole('button', { name: /^ctr / }).click(); // clear the container
});

test('network map, start view and the light theme render', async () => {
  await nav('Network');
  await page.locator('.net-edge').first().waitFor();
  assert.ok((await page.locator('.net-node').count()) >= 2);
  // Verdicts: the pod's own NetworkPolicy draft, audited against its traffic, allows what it did.
  await page.getByRole('combobox', { name: 'Verdicts from' }).selectOption('draft');
  await page.getByTestId('verdict-status').filter({ hasText: 'Verdicts:' }).waitFor();
  assert.ok((await page.locator('.net-edge[data-verdict=allowed]').count()) > 0);
  assert.equal(await page.locator('.net-edge[data-verdict=denied]').count(), 0);
  await shot('network');
  await page.getByRole('combobox', { name: 'Verdicts from' }).selectOption('none');
  await nav('Start');
  await page.getByRole('heading', { name: 'This investigation' }).waitFor();
  await page.getByRole('cell', { name: 'complete' }).waitFor();
  await shot('start');
  // Keyboard: the list of keys, views by Alt+digit, rows by arrows.
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached' });
  await page.keyboard.press('Alt+5');
  await page.locator('.etable-row').first().waitFor();
  await page.getByTestId('events-scroller').focus();
  await page.keyboard.press('ArrowDown');
  const firstSel = await page.locator('.etable-row[aria-selected=true]').getAttribute('data-seq');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((seq) => {
    const rows = document.querySelectorAll('.etable-row[aria-selected=true]');
    return rows.length === 1 && rows[0]!.getAttribute('data-seq') !== seq;
  }, firstSel);
  await page.keyboard.press('Enter');
  await page.getByTestId('event-json').waitFor();
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await nav('Processes');
  await page.getByRole('treeitem').first().waitFor();
  await shot('processes-light');
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  assert.deepEqual(errors, []);
});

test('policy diff: what the container did after a quiet period, each rule with its events; export a seccomp profile', async () => {
  // Baseline: the container's first seconds, selected on the timeline.
  await nav('Containers');
  const box = (await page.locator('.tl-life').first().boundingBox())!;
  // Below the markers (they take clicks), on the lane's activity strip.
  await page.mouse.move(box.x + 2, box.y + 26);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + 26, { steps: 8 });
  await page.mouse.up();
  await page.locator('.selbar .chip').filter({ hasText: /–/ }).waitFor();
  await nav('Policies');
  const doc = page.getByTestId('policy-text');
  await doc.waitFor();
  const profile = JSON.parse(await doc.innerText()) as { defaultAction: string; syscalls: Array<{ names: string[] }> };
  assert.equal(profile.defaultAction, 'SCMP_ACT_ERRNO');
  assert.ok(profile.syscalls[0]!.names.includes('execve'));
  await page.getByRole('tab', { name: 'Diff' }).click();
  await page.getByRole('radio', { name: /draft over the selected time range/ }).check();
  await page.getByRole('button', { name: 'Compare' }).click();
  const diff = page.getByRole('list', { name: 'Semantic diff' });
  await diff.waitFor();
  const added = diff.locator('.sdiff-entry.change-added');
  assert.ok((await added.count()) > 0, 'the intrusion adds syscalls the quiet period did not need');
  await page.getByRole('table', { name: 'Textual diff' }).locator('.tdiff-added, .tdiff-changed').first().waitFor();
  // Accept one rule, ignore another.
  await added.nth(0).getByRole('button', { name: 'Accept' }).click();
  assert.ok((await added.count()) > 1, 'at least two added rules to accept one and ignore another');
  const ignoredSubject = (await added.nth(1).locator('.sdiff-subject').innerText()).trim();
  assert.match(ignoredSubject, /^syscall [a-z0-9_]+$/);
  await added.nth(1).getByRole('button', { name: 'Ignore' }).click();
  assert.match(await page.locator('.pane-title').first().innerText(), /1 accepted/);
  await shot('policies');
  // Evidence: a rule's event opens in the events view.
  const evidence = diff.locator('.evidence button:not([disabled])').first();
  const evKind = await evidence.locator('.kind').innerText();
  await evidence.click();
  await page.getByTestId('event-json').filter({ hasText: `"kind": "${evKind}"` }).waitFor();
  if (evKind === 'syscalls') assert.match(await page.getByTestId('event-json').innerText(), /"phase": "workload"/);
  await page.locator('.selbar .chip').filter({ hasText: /–/ }).click();
  // Export a seccomp profile; exports never overwrite.
  await nav('Policies');
  const out = join(mkdtempSync(join(tmpdir(), 'th-export-')), 'web-seccomp.json');
  // The rule ignored on the Diff tab (before following its evidence) is left out of the file.
  await page.getByTestId('left-out').filter({ hasText: ignoredSubject }).waitFor();
  await page.getByRole('textbox', { name: 'Export path' }).fill(out);
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('status').filter({ hasText: 'Written' }).waitFor();
  const written = JSON.parse(readFileSync(out, 'utf8')) as { defaultAction: string; syscalls: Array<{ names: string[]; action: string }> };
  assert.equal(written.defaultAction, 'SCMP_ACT_ERRNO');
  assert.ok(written.syscalls.some((r) => r.action === 'SCMP_ACT_ALLOW' && r.names.includes('execve')));
  const exported = written.syscalls.flatMap((r) => r.names);
  assert.ok(!exported.includes(ignoredSubject.replace(/^syscall /, '')), `${ignoredSubject} left out of ${exported.join(',')}`);
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('status').filter({ hasText: 'never overwrite' }).waitFor();
  assert.deepEqual(errors, []);
});
