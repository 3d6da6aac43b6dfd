/**
 * The README's first command ends in `npm start` = `tracehound start`: with no argument and no
 * Electron it must open browser mode on the bundled sample capture, and the console must show it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { ROOT } from './harness';

test('tracehound start opens the sample capture in browser mode', { timeout: 60_000 }, async () => {
  const data = mkdtempSync(join(tmpdir(), 'th-start-'));
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.cjs'), 'start', '--browser', '--no-open'], {
    env: { ...process.env, XDG_DATA_HOME: data, DISPLAY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    const url = await new Promise<URL>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(new URL(m[1]!));
        }
      });
    });
    const ws = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, { headers: { Origin: url.origin } });
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    let id = 0;
    const call = (method: string, args: unknown) =>
      new Promise<{ ok: boolean; value?: Record<string, unknown> }>((resolve) => {
        const my = ++id;
        const on = (d: WebSocket.RawData) => {
          const m = JSON.parse(d.toString()) as { id?: number; result?: { ok: boolean; value?: Record<string, unknown> } };
          if (m.id === my) {
            ws.off('message', on);
            resolve(m.result!);
          }
        };
        ws.on('message', on);
        ws.send(JSON.stringify({ id: my, method, args }));
      });
    const info = await call('appInfo', {});
    assert.match(String(info.value?.capture), /assets\/sample[^/]*$/);
    // The import runs as a job; the overview fills within seconds.
    let events = 0;
    for (let i = 0; i < 50 && events === 0; i++) {
      const o = await call('overview', {});
      events = Number(o.value?.events ?? 0);
      if (events === 0) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(events > 100, `sample events shown: ${events}`);
    const alerts = await call('alerts', { minSeverity: 'high' });
    assert.ok(Array.isArray(alerts.value) && alerts.value.length > 0, 'the sample intrusion shows alerts');
    ws.close();
  } finally {
    child.kill('SIGTERM');
  }
});
