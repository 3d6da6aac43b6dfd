/**
 * A capture sent by the page (browser mode: a dropped or picked file, whose path the browser
 * keeps to itself) is streamed to the investigation's upload folder, then imported as a job.
 * Untrusted all the way: the name is reduced to a safe file name of our choosing, the body must
 * match its declared length, a cut or aborted upload leaves nothing behind, and the import
 * validates every line as for any capture.
 */
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Core } from '../core/core';

/** Larger captures are better copied next to the console and opened by path. */
export const MAX_UPLOAD_BYTES = 64 * 1024 ** 3;

export interface UploadOptions {
  dir: string;
  core: Core;
  headers: Record<string, string>;
}

/** A file name of our own: letters, digits, dot, dash and underscore from the given name, bounded. */
export function safeUploadName(given: string | null, now = new Date()): string {
  const base = (given ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(-100) || 'capture';
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `${stamp}-${cleaned}`;
}

export function receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL, o: UploadOptions): void {
  const reply = (status: number, body: unknown) => {
    if (res.headersSent) return;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...o.headers });
    res.end(JSON.stringify(body));
  };
  const fail = (status: number, message: string) => {
    reply(status, { ok: false, error: { code: 'bad_request', message } });
    // the rest of the body is not wanted
    req.resume();
  };
  // a type no HTML form can send, so a cross-site page cannot post here without a preflight
  if ((req.headers['content-type'] ?? '').split(';')[0]!.trim() !== 'application/octet-stream') {
    return fail(415, 'send the capture as application/octet-stream');
  }
  const length = Number(req.headers['content-length']);
  if (!Number.isSafeInteger(length) || length < 0) return fail(411, 'the upload must declare its length');
  if (length === 0) return fail(400, 'the file is empty');
  if (length > MAX_UPLOAD_BYTES) {
    return fail(413, `the file is larger than ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB: copy it next to the console and open it by path`);
  }
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const path = join(o.dir, safeUploadName(url.searchParams.get('name')));
  const part = `${path}.part`;
  let received = 0;
  req.on('data', (c: Buffer) => (received += c.length));
  pipeline(req, createWriteStream(part, { flags: 'wx', mode: 0o600 }))
    .then(async () => {
      if (received !== length) throw new Error(`the upload ended after ${received} of ${length} bytes`);
      renameSync(part, path);
      const r = await o.core.call('importCapture', { path });
      if (!r.ok) {
        rmSync(path, { force: true });
        return reply(422, r);
      }
      reply(200, { ok: true, value: { ...(r.value as object), path } });
    })
    .catch((e: Error) => {
      rmSync(part, { force: true });
      if (!req.destroyed) fail(400, e.message);
    });
}
