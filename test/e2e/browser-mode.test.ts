import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Browser } from 'playwright-core';
import { launchBrowser, SHOTS, startConsole, type ConsoleProcess } from './harness';

let app: ConsoleProcess;
let browser: Browser;

before(async () => {
  app = await startConsole();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

test('the console loads with the token and talks to the core', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const res = await page.goto(app.url);
  assert.equal(res?.status(), 200);
  const csp = res?.headers()['content-security-policy'] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
  // The footer shows what the core answered over the socket: version and transport.
  await page.locator('.sidenav-foot', { hasText: 'browser' }).waitFor({ timeout: 10000 });
  // The token leaves the address bar once the page holds it.
  assert.ok(!page.url().includes('token='), page.url());
  await page.screenshot({ path: join(SHOTS, 'browser-mode.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('without the token the page, its assets and the socket are refused', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const res = await page.goto(app.origin + '/');
  assert.equal(res?.status(), 401);
  assert.match(await page.content(), /token/);
  for (const path of ['/app.js', '/index.html', '/app.css']) {
    const r = await fetch(app.origin + path);
    assert.equal(r.status, 401, path);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  }
  const wrong = await fetch(`${app.origin}/?token=${'x'.repeat(app.token.length)}`);
  assert.equal(wrong.status, 401);
  await ctx.close();
});

function wsStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

test('the socket checks token, Host and Origin', async () => {
  const base = `ws://127.0.0.1:${app.port}/ws`;
  const origin = app.origin;
  assert.equal(await wsStatus(`${base}?token=${app.token}`, { Origin: origin }), 101);
  assert.equal(await wsStatus(base, { Origin: origin }), 401);
  assert.equal(await wsStatus(`${base}?token=${app.token}`, { Origin: 'http://evil.example' }), 403);
  assert.equal(await wsStatus(`${base}?token=${app.token}`, {}), 403);
  assert.equal(await wsStatus(`${base}?token=${app.token}`, { Origin: origin, Host: `evil.example:${app.port}` }), 403);
});

test('a DNS-rebound Host header is refused even with the token', async () => {
  const http = await import('node:http');
  const status = await new Promise<number>((resolve) => {
    http.get({ host: '127.0.0.1', port: app.port, path: `/?token=${app.token}`, headers: { Host: 'attacker.example' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
  });
  assert.equal(status, 403);
});

test('API calls over the socket are validated', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws?token=${app.token}`, { headers: { Origin: app.origin } });
  await new Promise((r) => ws.once('open', r));
  const call = (msg: unknown) =>
    new Promise<unknown>((resolve) => {
      ws.once('message', (d) => resolve(JSON.parse(d.toString())));
      ws.send(JSON.stringify(msg));
    });
  const info = (await call({ id: 1, method: 'appInfo', args: {} })) as { id: number; result: { ok: boolean; value: { transport: string } } };
  assert.equal(info.id, 1);
  assert.equal(info.result.ok, true);
  assert.equal(info.result.value.transport, 'browser');
  const bad = (await call({ id: 2, method: 'constructor', args: {} })) as { result: { ok: boolean; error: { code: string } } };
  assert.equal(bad.result.ok, false);
  assert.equal(bad.result.error.code, 'bad_request');
  ws.close();
});
