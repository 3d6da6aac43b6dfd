/**
 * Connect to a node from the Start view, against a real sshd on 127.0.0.1 (root, by key, from a
 * ~/.ssh/config written here): the host appears from the config, the first connection asks to
 * trust the host key and shows its fingerprint, the session runs the real collector, the sessions
 * table shows its state and counts, and Stop ends it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hostEntry, makeLab, requireRoot, startNode, type Sshd, type Lab } from '../integration/ssh-harness';
import { ROOT, openConsolePage, type ConsolePage } from './harness';

let lab: Lab;
let node: Sshd;
let page: Page;
let errors: string[] = [];
let ui: ConsolePage;

before(async () => {
  requireRoot();
  lab = makeLab();
  node = await startNode(lab);
  writeFileSync(lab.configPath, hostEntry('lab-node', node, lab));
  ui = await openConsolePage([], { HOME: lab.home });
  ({ page, errors } = ui);
});
after(async () => {
  await ui?.close();
  await node?.stop();
  lab?.cleanup();
});

test('connect from ~/.ssh/config, trust the host key on first use, capture, stop', { timeout: 120_000 }, async () => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Start/ }).click();
  const host = page.getByRole('button', { name: /^lab-node root@127\.0\.0\.1:/ });
  await host.waitFor();
  await host.click();
  const dialog = page.getByRole('dialog', { name: 'Trust this host key?' });
  await dialog.waitFor({ timeout: 30000 });
  // The fingerprint shown is the server's real one.
  const fp = execFileSync('ssh-keygen', ['-lf', `${node.hostKey}.pub`], { encoding: 'utf8' }).split(/\s+/)[1]!;
  assert.ok((await dialog.innerText()).includes(fp), `${fp} not in the dialog`);
  await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'connect.png') });
  await dialog.getByRole('button', { name: 'Trust once' }).click();
  await dialog.waitFor({ state: 'detached' });
  const row = page.locator('table.mini tr').filter({ hasText: 'lab-node' });
  await row.locator('td.state-running').waitFor({ timeout: 60000 });
  // Events counted while it runs.
  await page.waitForFunction(
    () => {
      const r = [...document.querySelectorAll('table.mini tr')].find((t) => t.textContent?.includes('lab-node'));
      const cells = r?.querySelectorAll('td');
      return cells && Number((cells[2]?.textContent ?? '0').replace(/,/g, '')) > 0;
    },
    null,
    { timeout: 30000 },
  );
  await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'sessions.png') });
  await row.getByRole('button', { name: 'Stop' }).click();
  await row.locator('td.state-ended').waitFor({ timeout: 30000 });
  // The session's events went into this investigation.
  await page.getByText(/ · [1-9][\d,]* events$/).waitFor({ timeout: 30000 });
  await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'session-ended.png') });
  assert.deepEqual(errors, []);
});
