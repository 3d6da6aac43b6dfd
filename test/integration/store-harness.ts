// Shared setup of the store suites: temporary databases on disk and the sample capture.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { openStore, type Store } from '../../electron/core/store/store';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMPLE = join(ROOT, 'assets/sample-capture.jsonl.gz');

export function tempDir(prefix = 'th-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tempStore(): { store: Store; dir: string; path: string; cleanup: () => void } {
  const t = tempDir();
  const path = join(t.dir, 'investigation.db');
  const store = openStore(path);
  return {
    store,
    dir: t.dir,
    path,
    cleanup: () => {
      store.close();
      t.cleanup();
    },
  };
}

/** The sample's lines (header first), parsed, for computing expectations independently. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- lines of any kind, read field by field by the tests
export function sampleLines(): { raw: string[]; parsed: Array<Record<string, any>> } {
  const raw = gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').filter((l) => l.length > 0);
  return { raw, parsed: raw.map((l) => JSON.parse(l)) };
}
