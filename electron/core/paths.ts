/**
 * Where things live: the package root (for the renderer build and the bundled sample), and the
 * responder's data directory for investigation databases.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** The package root: the folder holding package.json, found upwards from the running bundle. */
export function packageRoot(from: string = __dirname): string {
  let d = resolve(from);
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'assets'))) return d;
    d = dirname(d);
  }
  return resolve(from, '..');
}

export function rendererDir(root = packageRoot()): string {
  return join(root, 'dist', 'renderer');
}

/** The bundled sample capture (a real recording, see assets/README.md). */
export function sampleCapture(root = packageRoot()): string | null {
  const dir = join(root, 'assets');
  if (!existsSync(dir)) return null;
  const f = readdirSync(dir)
    .filter((n) => n.startsWith('sample') && /\.(thc|jsonl)(\.gz|\.zst)?$/.test(n))
    .sort()[0];
  return f ? join(dir, f) : null;
}

export function dataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  const d = join(base, 'tracehound', 'investigations');
  mkdirSync(d, { recursive: true, mode: 0o700 });
  return d;
}

/** The default investigation database for a capture: one per capture file, next to the others. */
export function databaseFor(capture: string | null): string {
  if (!capture) return join(dataDir(), 'scratch.sqlite');
  const abs = resolve(capture);
  const tag = createHash('sha256').update(abs).digest('hex').slice(0, 10);
  const stem = basename(abs).replace(/\.(gz|zst)$/, '').replace(/\.(thc|jsonl)$/, '').replace(/[^A-Za-z0-9._-]/g, '_');
  return join(dataDir(), `${stem}-${tag}.sqlite`);
}

export function isDatabaseFile(p: string): boolean {
  return /\.(sqlite|sqlite3|db)$/i.test(p);
}
