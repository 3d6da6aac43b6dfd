/**
 * The desktop menu's Connect… and Export Policy… push `menuCommand` through the core's bus; the
 * console must switch view. Driven here over the browser-mode transport, in Chromium, with the
 * bus of a real Core (the Electron menu itself cannot run on this machine).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { Core } from '../../electron/core/core';
import { startServer, type RunningServer } from '../../electron/server/server';
import { launchBrowser, ROOT } from './harness';

let core: Core;
let server: RunningServer;
let browser: Browser;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'th-menu-'));
  core = new Core({ version: 'test', transport: 'browser', databasePath: join(dir, 'inv.sqlite') });
  server = await startServer({ core, staticDir: join(ROOT, 'dist', 'renderer') });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await core?.dispose();
});

test('menu commands switch the console to the view that does the job', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(server.url);
  await page.locator('.sidenav-foot', { hasText: 'browser' }).waitFor();
  const current = () => page.locator('main.content').getAttribute('data-view');
  const initial = await current();
  assert.notEqual(initial, 'policies');
  core.bus.emit('menuCommand', { view: 'policies' });
  await page.waitForFunction(() => document.querySelector('main.content')?.getAttribute('data-view') === 'policies');
  core.bus.emit('menuCommand', { view: 'start' });
  await page.waitForFunction(() => document.querySelector('main.content')?.getAttribute('data-view') === 'start');
  assert.equal(await current(), 'start');
  await page.close();
});
