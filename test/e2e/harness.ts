/**
 * End-to-end harness: the real CLI in browser mode, and Debian's Chromium driven by
 * playwright-core (never a downloaded browser).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = join(__dirname, '..', '..');
export const SHOTS = join(ROOT, 'test-results', 'screenshots');

export interface ConsoleProcess {
  url: string;
  origin: string;
  token: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `tracehound serve --no-open [args]` and waits for the printed URL. */
export async function startConsole(args: string[] = [], env: Record<string, string> = {}): Promise<ConsoleProcess> {
  const data = mkdtempSync(join(tmpdir(), 'th-e2e-'));
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.cjs'), 'serve', '--no-open', ...args], {
    env: { ...process.env, XDG_DATA_HOME: data, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start:\n${out}`)), 15000);
    const check = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`console exited ${code}:\n${out}`)));
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get('token')!,
    port: Number(u.port),
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true });
}

export interface ConsolePage {
  app: ConsoleProcess;
  browser: Browser;
  page: Page;
  /** Uncaught errors of the page, in order. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * `tracehound serve` on `args` and a 1366×768 Chromium page on it (the smallest laptop screen the
 * console is checked at). `beforeLoad` may subscribe to page events before the first load.
 */
export async function openConsolePage(args: string[] = [], env: Record<string, string> = {}, beforeLoad?: (page: Page) => void): Promise<ConsolePage> {
  const app = await startConsole(args, env);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  beforeLoad?.(page);
  await page.goto(app.url);
  return {
    app,
    browser,
    page,
    errors,
    close: async () => {
      await browser.close();
      await app.stop();
    },
  };
}
