/**
 * Console benchmarks in Chromium (Debian's, driven by playwright-core), browser mode on a
 * database given on the command line:
 *   open       page load → overview; → process tree shown; → container timeline shown
 *   filter     kind / text filter change → events table showing the new first page (p50, p95)
 *   scroll     the events table scrolled continuously for 10 s: frame times, long tasks
 *   expand     "Expand all" on the process tree until its progress line is gone: time, frame times,
 *              long tasks; then the expanded tree scrolled for 5 s
 * Frames are measured in the page (requestAnimationFrame deltas); long tasks by the browser's
 * PerformanceObserver ('longtask', > 50 ms).
 *   node electron/build.mjs && node --import tsx bench/ui-console.ts <database-or-capture>
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchBrowser, startConsole } from '../test/e2e/harness';

const input = process.argv[2];
if (!input || !existsSync(input)) {
  console.error('usage: bench/ui-console.ts <database-or-capture>');
  process.exit(2);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

async function nav(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(`^${label}`) }).click();
}

/** Starts recording frame deltas and long tasks in the page; the returned function stops and reports. */
async function frames(page: Page): Promise<() => Promise<{ frames: number; maxFrame: number; p99Frame: number; over50: number; longTasks: number; maxLongTask: number }>> {
  await page.evaluate(() => {
    const w = window as unknown as { __f: { deltas: number[]; long: number[]; on: boolean } };
    w.__f = { deltas: [], long: [], on: true };
    let last = performance.now();
    const tick = (t: number) => {
      if (!w.__f.on) return;
      w.__f.deltas.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__f.long.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  return async () => {
    const f = await page.evaluate(() => {
      const w = window as unknown as { __f: { deltas: number[]; long: number[]; on: boolean } };
      w.__f.on = false;
      return w.__f;
    });
    const d = f.deltas.slice(1);
    return {
      frames: d.length,
      maxFrame: r1(Math.max(...d)),
      p99Frame: r1(pct(d, 99)),
      over50: d.filter((x) => x > 50).length,
      longTasks: f.long.length,
      maxLongTask: r1(Math.max(0, ...f.long)),
    };
  };
}

async function main() {
  const app = await startConsole([input!]);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  // tsx names functions with a helper; functions sent to the page need it there too.
  await page.addInitScript('window.__name = (f) => f');
  const out: Record<string, unknown> = { input, loadAverage: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10) };

  // ---- open (three times: a fresh page each time, the core and its database stay open)
  const opens: Array<{ overviewMs: number; treeMs: number; timelineMs: number; totalMs: number }> = [];
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    if (i === 0) await page.goto(app.url);
    else await page.reload();
    await page.getByRole('button', { name: /^Events: [1-9]/ }).waitFor({ timeout: 120000 });
    const tOverview = Date.now() - t0;
    const t1 = Date.now();
    await nav(page, 'Processes');
    await page.getByRole('treeitem').first().waitFor({ timeout: 120000 });
    const tTree = Date.now() - t1;
    const t2 = Date.now();
    await nav(page, 'Containers');
    await page.locator('.tl-lane').first().waitFor({ timeout: 120000 });
    const tTimeline = Date.now() - t2;
    opens.push({ overviewMs: tOverview, treeMs: tTree, timelineMs: tTimeline, totalMs: tOverview + tTree + tTimeline });
  }
  out.open = opens;
  out.openMedianTotalMs = pct(opens.map((o) => o.totalMs), 50);
  // ---- filter
  await nav(page, 'Events');
  await page.locator('.etable-row').first().waitFor();
  const kinds = ['exec', 'open', 'net', '', 'cred', 'exit', 'fork', ''];
  const times: number[] = [];
  for (let i = 0; i < 24; i++) {
    const k = kinds[i % kinds.length]!;
    const ms = await page.evaluate(async (kind) => {
      const status = () => document.querySelector('[data-testid=events-status]')?.textContent ?? '';
      const first = () => document.querySelector('.etable-row')?.getAttribute('data-seq') ?? null;
      const sel = document.querySelector('select[aria-label="Event kind"]') as HTMLSelectElement;
      const before = first();
      const t = performance.now();
      sel.value = kind;
      sel.dispatchEvent(new Event('change', { bubbles: true }));
      await new Promise<void>((resolve, reject) => {
        const giveUp = t + 10000;
        const poll = () => {
          const f = first();
          const s = status();
          const kindOk = !kind || document.querySelector('.etable-row .col-kind')?.textContent === kind;
          if (!/loading/.test(s) && f !== null && (f !== before || kindOk) && kindOk) return resolve();
          if (/0 rows/.test(s) && !/loading/.test(s)) return resolve();
          if (performance.now() > giveUp) return reject(new Error(`no update for ${kind}: ${s}`));
          requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      });
      return performance.now() - t;
    }, k);
    times.push(ms);
  }
  out.filter = { changes: times.length, p50Ms: r1(pct(times, 50)), p95Ms: r1(pct(times, 95)), maxMs: r1(Math.max(...times)) };

  // ---- scroll
  await page.locator('select[aria-label="Event kind"]').selectOption('');
  await page.locator('.etable-row').first().waitFor();
  const stopScroll = await frames(page);
  const rowsBefore = Date.now();
  const scrolled = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid=events-scroller]') as HTMLElement;
    const end = performance.now() + 10000;
    let px = 0;
    await new Promise<void>((resolve) => {
      const step = () => {
        if (performance.now() > end) return resolve();
        el.scrollTop += 4800;
        px += 4800;
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    return { px, top: el.scrollTop, status: document.querySelector('[data-testid=events-status]')?.textContent };
  });
  out.scroll = { ...(await stopScroll()), seconds: (Date.now() - rowsBefore) / 1000, rowsPassed: Math.round(scrolled.top / 24), status: scrolled.status };

  // ---- expand all
  await nav(page, 'Processes');
  await page.getByRole('treeitem').first().waitFor();
  const stopExpand = await frames(page);
  const te = Date.now();
  await page.getByRole('button', { name: 'Expand all' }).click();
  // Done: the progress line is gone, and no row is collapsed or waiting for its children.
  await page.waitForFunction(
    () =>
      !document.querySelector('[data-testid=expand-progress]') &&
      document.querySelectorAll('[role=treeitem][aria-expanded=false]').length === 0 &&
      ![...document.querySelectorAll('.twisty')].some((t) => t.textContent?.includes('…')),
    null,
    { timeout: 300000, polling: 200 },
  );
  const expandMs = Date.now() - te;
  const treeRows = await page.evaluate(() => {
    const el = document.querySelector('[data-testid=tree-scroller] > div') as HTMLElement;
    return Math.round(el.getBoundingClientRect().height / 26);
  });
  // Scroll the expanded tree for 5 s.
  await page.evaluate(async () => {
    const el = document.querySelector('[data-testid=tree-scroller]') as HTMLElement;
    const end = performance.now() + 5000;
    await new Promise<void>((resolve) => {
      const step = () => {
        if (performance.now() > end) return resolve();
        el.scrollTop += 5200;
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
  });
  out.expand = { expandMs, treeRows, ...(await stopExpand()) };
  out.processesAfter = await page.evaluate(() => document.querySelector('.processes-view .view-header p')?.textContent ?? null);

  out.loadAverageAfter = (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10);
  console.log(JSON.stringify(out, null, 2));
  await browser.close();
  await app.stop();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
