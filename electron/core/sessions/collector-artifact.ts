/** The collector binary to upload for a node's architecture, with its published sha256. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CollectorArtifact {
  path: string;
  sha256: string;
  size: number;
}

const MAX_COLLECTOR_BYTES = 256 * 1024 * 1024;

/** `<dir>/tracehound-collector-<arch>` and `.sha256` beside it (as `make -C agent-bpf` writes them). */
export function findCollector(binDir: string, arch: string): CollectorArtifact {
  const path = join(binDir, `tracehound-collector-${arch}`);
  if (!existsSync(path)) throw new Error(`no collector built for ${arch} (${path} is missing): run make -C agent-bpf`);
  const st = statSync(path);
  if (st.size > MAX_COLLECTOR_BYTES) throw new Error(`${path} is unexpectedly large`);
  const sumFile = `${path}.sha256`;
  if (!existsSync(sumFile)) throw new Error(`${sumFile} is missing: rebuild with make -C agent-bpf`);
  const sha256 = readFileSync(sumFile, 'utf8').trim().split(/\s+/)[0] ?? '';
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`${sumFile} does not hold a sha256`);
  return { path, sha256, size: st.size };
}
