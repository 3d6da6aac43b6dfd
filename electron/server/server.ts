/**
 * Browser mode: the renderer and the same typed API on 127.0.0.1, guarded by a per-launch secret.
 *
 * - Every HTTP request and WebSocket needs the token: `?token=` in the URL (the printed link) or
 *   the HttpOnly, SameSite=Strict cookie set when the page was opened with it.
 * - Host must be 127.0.0.1/localhost with our port (DNS rebinding); the socket's Origin must be
 *   ours (cross-site WebSocket hijacking). No CORS headers are ever sent.
 * - Only files that were in the renderer build at start are served, by exact path.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { receiveUpload } from './upload';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientMessage, ServerMessage } from '../../shared/api';
import type { Core } from '../core/core';
import { cookieValue, hostAllowed, originAllowed, securityHeaders, tokensEqual } from './security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};
const COOKIE = 'tracehound_token';
const MAX_MESSAGE = 1024 * 1024;

export interface ServerOptions {
  core: Core;
  staticDir: string;
  port?: number;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
  /** Where captures sent by the page (drag and drop, file picker) are stored before import. */
  uploadDir?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function loadStatic(dir: string): Map<string, { body: Buffer; type: string }> {
  const files = new Map<string, { body: Buffer; type: string }>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const rel = '/' + relative(dir, p).split(sep).join('/');
        files.set(rel, { body: readFileSync(p), type: TYPES[extname(p)] ?? 'application/octet-stream' });
      }
    }
  };
  walk(dir);
  return files;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const files = loadStatic(opts.staticDir);
  if (!files.has('/index.html')) throw new Error(`renderer build missing: ${join(opts.staticDir, 'index.html')}`);
  let port = 0;

  const deny = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders(port) });
    res.end(message + '\n');
  };

  const authorised = (req: IncomingMessage, url: URL): 'query' | 'cookie' | null => {
    if (tokensEqual(url.searchParams.get('token'), token)) return 'query';
    if (tokensEqual(cookieValue(req, COOKIE), token)) return 'cookie';
    return null;
  };

  const server = createServer((req, res) => {
    if (!hostAllowed(req, port)) return deny(res, 403, 'forbidden host');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return deny(res, 400, 'bad request');
    }
    if (req.method === 'POST' && url.pathname === '/upload') {
      // a state-changing request: our own page only (Origin), with the cookie, never the URL token
      if (!originAllowed(req, port, true)) return deny(res, 403, 'forbidden origin');
      if (authorised(req, url) !== 'cookie') return deny(res, 401, 'not authorised');
      if (!opts.uploadDir) return deny(res, 404, 'uploads are not enabled');
      return receiveUpload(req, res, url, { dir: opts.uploadDir, core: opts.core, headers: securityHeaders(port) });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'method not allowed');
    const how = authorised(req, url);
    if (!how) return deny(res, 401, 'Tracehound: open the link with ?token=… printed when the console started.');
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = files.get(path);
    if (!file) return deny(res, 404, 'not found');
    const headers: Record<string, string> = { 'Content-Type': file.type, ...securityHeaders(port) };
    if (how === 'query') headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return refuse(400, 'Bad Request');
    }
    if (!hostAllowed(req, port) || !originAllowed(req, port, true)) return refuse(403, 'Forbidden');
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    if (!authorised(req, url)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, msg: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    const unsubscribe = opts.core.bus.subscribe((name, payload) => send(ws, { push: name, payload }));
    ws.on('message', async (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text only');
      let msg: ClientMessage;
      try {
        msg = JSON.parse(data.toString()) as ClientMessage;
      } catch {
        return ws.close(1007, 'invalid JSON');
      }
      if (typeof msg !== 'object' || msg === null || !Number.isSafeInteger(msg.id)) return ws.close(1007, 'bad message');
      const result = await opts.core.call(msg.method, msg.args);
      send(ws, { id: msg.id, result });
    });
    ws.on('close', () => {
      unsubscribe();
      sockets.delete(ws);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
