/**
 * The Electron shell, kept thin: one hardened window, the app:// protocol serving the renderer
 * build with a strict CSP, and IPC that forwards to the core's dispatcher (the same one browser
 * mode uses). Everything that does work lives in electron/core.
 */
import { app, BrowserWindow, ipcMain, net, protocol, session, shell } from 'electron';
import { pathToFileURL } from 'node:url';
import { join, normalize, sep } from 'node:path';
import { existsSync } from 'node:fs';
import { METHOD_NAMES } from '../shared/api';
import { Core } from './core/core';
import { databaseFor, isDatabaseFile, rendererDir, sampleCapture } from './core/paths';
import { VERSION } from './core/version';
import { buildMenu } from './menu';
import { restoreWindowState, trackWindowState } from './window-state';

const ORIGIN = 'app://tracehound';
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } }]);

if (!app.requestSingleInstanceLock()) app.quit();

function inputFromArgv(argv: string[]): string | null {
  const candidates = argv.slice(1).filter((a) => !a.startsWith('-') && !a.endsWith('.cjs') && !a.endsWith('.js') && a !== '.');
  const f = candidates.find((a) => existsSync(a));
  return f ?? sampleCapture();
}

function serveRenderer(): void {
  const root = rendererDir();
  protocol.handle('app', async (req) => {
    const url = new URL(req.url);
    if (url.host !== 'tracehound') return new Response('not found', { status: 404 });
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep)) return new Response('forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}

function harden(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev, url) => {
      if (!url.startsWith(ORIGIN + '/')) ev.preventDefault();
    });
    contents.on('will-redirect', (ev) => ev.preventDefault());
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Documentation links open in the user's browser; nothing opens inside the app.
      if (/^https:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

async function main(): Promise<void> {
  await app.whenReady();
  harden();
  serveRenderer();
  const input = inputFromArgv(process.argv);
  const core = isDatabaseFile(input ?? '')
    ? new Core({ version: VERSION, transport: 'electron', databasePath: input! })
    : new Core({ version: VERSION, transport: 'electron', databasePath: databaseFor(input), capturePath: input });

  for (const m of METHOD_NAMES) {
    ipcMain.handle(`api:${m}`, (event, args: unknown) => {
      // Only our own page may call the core.
      if (!event.senderFrame || !event.senderFrame.url.startsWith(ORIGIN + '/')) {
        return { ok: false, error: { code: 'bad_request', message: 'unknown sender' } };
      }
      return core.call(m, args);
    });
  }

  const win = new BrowserWindow({
    ...restoreWindowState(),
    minWidth: 1024,
    minHeight: 640,
    title: 'Tracehound',
    show: false,
    backgroundColor: '#101418',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  trackWindowState(win);
  buildMenu(win, core);
  const unsubscribe = core.bus.subscribe((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send('push', name, payload);
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(`${ORIGIN}/index.html`);

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    unsubscribe();
    void core.dispose();
  });
}

main().catch((e) => {
  console.error(e);
  app.exit(1);
});
