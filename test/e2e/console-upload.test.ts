/**
 * Browser mode cannot learn where a picked or dropped file lives, so the page sends it to the
 * console's server, which stores it under a name of its own beside the investigation and imports
 * it. The upload route is guarded like the socket: cookie, same Origin, a content type no form
 * can send; a cut upload leaves nothing behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { ROOT, SHOTS, openConsolePage, type ConsoleProcess, type ConsolePage } from './harness';
import { openStore } from '../../electron/core/store/store';
import { importCapture } from '../../electron/core/capture/import';

let app: ConsoleProcess;
let page: Page;
let errors: string[] = [];
let ui: ConsolePage;
const SAMPLE = join(ROOT, 'assets', 'sample-capture.jsonl.gz');

before(async () => {
  ui = await openConsolePage([]);
  ({ app, page, errors } = ui);
});
after(async () => {
  await ui?.close();
});

const nav = (label: string) => page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(`^${label}`) }).click();

interface Reply {
  status: number;
  body: string;
}

/**
 * A raw POST to the upload route: with the cookie unless `cookie` is false, the token in the URL
 * when `tokenInUrl`; `cut` sends only part of the declared body, then drops the connection.
 */
function post(o: { name?: string; body: Buffer; headers?: Record<string, string>; cookie?: boolean; tokenInUrl?: boolean; cut?: number }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      Origin: app.origin,
      'Content-Length': String(o.body.length),
      ...(o.cookie === false ? {} : { Cookie: `tracehound_token=${app.token}` }),
      ...o.headers,
    };
    const query = `${o.tokenInUrl ? `token=${app.token}&` : ''}name=${encodeURIComponent(o.name ?? 'x.jsonl')}`;
    const req = request({ host: '127.0.0.1', port: app.port, method: 'POST', path: `/upload?${query}`, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (e) => (o.cut !== undefined ? resolve({ status: 0, body: e.message }) : reject(e)));
    if (o.cut !== undefined) {
      req.write(o.body.subarray(0, o.cut));
      setTimeout(() => req.destroy(), 200);
    } else {
      req.end(o.body);
    }
  });
}

test('a capture chosen with the file picker is sent, stored and imported', async () => {
  await nav('Start');
  await page.getByLabel('Choose a capture file').setInputFiles(SAMPLE);
  const note = page.locator('.ok-text').filter({ hasText: /sample-capture\.jsonl\.gz stored as .* Importing/ });
  await note.waitFor({ timeout: 20000 });
  const stored = /stored as (\S+)\. Importing/.exec((await note.textContent()) ?? '')![1]!;
  assert.match(basename(stored), /^[\dT-]+Z-sample-capture\.jsonl\.gz$/);
  assert.ok(readFileSync(stored).equals(readFileSync(SAMPLE)), 'stored byte for byte');
  await nav('Events');
  await page.waitForFunction(() => /of 1,\d{3} events/.test(document.querySelector('[data-testid=events-status]')?.textContent ?? ''), null, { timeout: 20000 });
  assert.deepEqual(errors, []);
});

test('a dropped file with a hostile name lands under a name of our own and imports', async () => {
  await nav('Start');
  const lines = gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').slice(0, 40).join('\n') + '\n';
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], '../../etc/<img src=x onerror=alert(1)>\u202e.jsonl', { type: 'application/json' }));
    return d;
  }, lines);
  await page.locator('.drop-zone').dispatchEvent('dragover', { dataTransfer: dt });
  await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: dt });
  const note = page.locator('.ok-text').filter({ hasText: /\.jsonl stored as .* Importing/ }).filter({ hasNotText: 'sample-capture' });
  await note.waitFor({ timeout: 20000 });
  const text = (await note.textContent()) ?? '';
  assert.doesNotMatch(text, /\u202e/, 'the bidi override is shown as a marker, not obeyed');
  assert.match(text, /^\.\.\/\.\.\/etc\/<img src=x onerror=alert\(1\)>/, 'the given name, readable, left to right');
  const stored = /stored as (\S+)\. Importing/.exec(text)![1]!;
  assert.doesNotMatch(basename(stored), /[/<>\u202e]/, 'only safe characters in the stored name');
  assert.equal(dirname(stored).endsWith('.uploads'), true, `stored in the upload folder: ${stored}`);
  assert.equal(readFileSync(stored, 'utf8'), lines);
  assert.equal(await page.locator('img[src=x]').count(), 0, 'the name is text, not markup');
  await page.screenshot({ path: join(SHOTS, 'start-upload.png') });
  assert.deepEqual(errors, []);
});

test('the upload route wants the cookie, our Origin and a binary body', async () => {
  const body = Buffer.from('{"kind":"hello"}\n');
  assert.equal((await post({ body, cookie: false })).status, 401, 'no cookie');
  assert.equal((await post({ body, headers: { Origin: 'http://evil.example' } })).status, 403, 'another site');
  assert.equal((await post({ body, headers: { Origin: '' } })).status, 403, 'no origin');
  assert.equal((await post({ body, headers: { 'Content-Type': 'text/plain' } })).status, 415, 'a form-like body');
  assert.equal((await post({ body, headers: { Host: `evil.example:${app.port}` } })).status, 403, 'a rebound host');
  const empty = await post({ body: Buffer.alloc(0) });
  assert.equal(empty.status, 400);
  assert.match(empty.body, /empty/);
  // the token in the URL (the printed link) does not authorise writes: a leaked link in a
  // referrer or history is not enough to push files
  assert.equal((await post({ body, cookie: false, tokenInUrl: true, name: 'x' })).status, 401, 'token in the URL only');
});

test('an upload cut short leaves no file behind', async () => {
  const ok = await post({ name: 'good.jsonl', body: Buffer.from(gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').slice(0, 5).join('\n') + '\n') });
  assert.equal(ok.status, 200, ok.body);
  const dir = dirname((JSON.parse(ok.body) as { value: { path: string } }).value.path);
  const before = readdirSync(dir).length;
  const cut = await post({ name: 'cut.jsonl', body: Buffer.alloc(1024 * 1024, 0x41), cut: 64 * 1024 });
  assert.equal(cut.status, 0, 'connection dropped by the client');
  for (let i = 0; i < 50 && readdirSync(dir).some((n) => n.endsWith('.part')); i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.endsWith('.part') || n.includes('cut')),
    [],
    'nothing kept of the cut upload',
  );
  assert.equal(readdirSync(dir).length, before);
  assert.ok(existsSync(dir));
});

test('another investigation of the data directory opens from Start, and the views follow', async () => {
  // the data directory is where the scratch investigation (and its uploads) live
  const ok = await post({ name: 'x.jsonl', body: Buffer.from(gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').slice(0, 3).join('\n') + '\n') });
  const uploads = dirname((JSON.parse(ok.body) as { value: { path: string } }).value.path);
  const data = dirname(uploads);
  const other = join(data, 'incident-42.sqlite');
  const store = openStore(other);
  try {
    await importCapture(store, SAMPLE);
  } finally {
    store.close();
  }
  await page.reload();
  await nav('Start');
  const table = page.getByRole('table', { name: 'Other investigations' });
  const row = table.getByRole('row').filter({ hasText: 'incident-42.sqlite' });
  await row.waitFor();
  assert.match((await row.innerText()).replace(/\s+/g, ' '), /incident-42\.sqlite .* 1,347 /);
  await page.screenshot({ path: join(SHOTS, 'start-investigations.png') });
  await Promise.all([page.waitForEvent('load'), row.getByRole('button', { name: 'Open' }).click()]);
  await nav('Start');
  await page.locator('.card', { hasText: 'This investigation' }).getByText(/incident-42\.sqlite/).first().waitFor();
  await nav('Events');
  await page.waitForFunction(() => /of 1,347 events/.test(document.querySelector('[data-testid=events-status]')?.textContent ?? ''), null, { timeout: 20000 });
  assert.deepEqual(errors, []);
});
