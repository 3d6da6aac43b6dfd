/**
 * Puts the collector on the node: a private directory (mode 0700, owned by the login user, named
 * after the binary's hash so an identical earlier upload is reused), SFTP upload to a partial
 * name, sha256 verified on the node, then renamed. Root verifies the hash again right before it
 * executes the binary (see collectorCommand), so what runs is exactly what was built.
 */
import type { CollectorArtifact } from './collector-artifact';
import { shq, type NodeTransport } from './transport';

export const COLLECTOR_NAME = 'tracehound-collector';

export interface Deployment {
  dir: string;
  binary: string;
  reused: boolean;
}

/** The login user's temp directory on the node. */
export async function remoteTempBase(t: NodeTransport): Promise<string> {
  const r = await t.run('printf "%s\\n" "${TMPDIR:-/tmp}"', { timeoutMs: 15_000, maxOutputBytes: 4096 });
  const base = r.stdout.split('\n')[0]!.trim().replace(/\/+$/, '') || '/tmp';
  if (!base.startsWith('/') || /[\0\n]/.test(base)) throw new Error(`unusable TMPDIR on the node: ${JSON.stringify(base)}`);
  return base;
}

function prepareScript(dir: string, sha: string): string {
  const d = shq(dir);
  return [
    `d=${d}`,
    'if [ -d "$d" ] && [ ! -L "$d" ] && [ "$(stat -c %u "$d")" = "$(id -u)" ] && [ "$(stat -c %a "$d")" = 700 ]; then',
    `  if [ -f "$d/${COLLECTOR_NAME}" ] && echo "${sha}  $d/${COLLECTOR_NAME}" | sha256sum -c --status 2>/dev/null; then echo reuse; else echo upload; fi`,
    'elif [ -e "$d" ] || [ -L "$d" ]; then echo foreign',
    'else mkdir -m 0700 "$d" && echo upload; fi',
  ].join('\n');
}

export async function deployCollector(
  t: NodeTransport,
  base: string,
  art: CollectorArtifact,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<Deployment> {
  let dir = `${base}/tracehound-${art.sha256.slice(0, 16)}`;
  const prep = await t.run(prepareScript(dir, art.sha256), { timeoutMs: 30_000 });
  let verdict = prep.stdout.trim();
  if (verdict === 'reuse') return { dir, binary: `${dir}/${COLLECTOR_NAME}`, reused: true };
  if (verdict === 'foreign') {
    // Someone else owns that name: use a fresh private directory instead.
    const m = await t.run(`mktemp -d ${shq(`${base}/tracehound.XXXXXXXX`)}`, { timeoutMs: 15_000 });
    dir = m.stdout.trim();
    if (m.code !== 0 || !dir.startsWith(base)) throw new Error(`cannot create a private directory in ${base}: ${m.stderr.trim()}`);
    verdict = 'upload';
  }
  if (verdict !== 'upload') throw new Error(`cannot prepare ${dir} on the node: ${prep.stderr.trim().slice(0, 300) || prep.stdout.trim().slice(0, 300)}`);
  const part = `${dir}/${COLLECTOR_NAME}.part`;
  await t.upload(art.path, part, 0o700, onProgress, signal);
  const check = await t.run(
    `cd ${shq(dir)} && echo "${art.sha256}  ${COLLECTOR_NAME}.part" | sha256sum -c --status && mv -f ${COLLECTOR_NAME}.part ${COLLECTOR_NAME}`,
    { timeoutMs: 60_000 },
  );
  if (check.code !== 0) {
    await t.run(`rm -f ${shq(part)}`).catch(() => undefined);
    throw new Error(`the uploaded collector does not match its sha256 on the node (${check.stderr.trim().slice(0, 200) || 'sha256sum failed'}); the upload was corrupted or altered`);
  }
  return { dir, binary: `${dir}/${COLLECTOR_NAME}`, reused: false };
}

/** The root command: re-verify the binary, then become it (so signals reach it directly). */
export function collectorCommand(dep: Deployment, sha256: string, args: readonly string[]): string {
  return [
    `cd ${shq(dep.dir)} || exit 97`,
    `echo "${sha256}  ${COLLECTOR_NAME}" | sha256sum -c --status || { echo "collector binary on the node does not match its sha256" >&2; exit 98; }`,
    `exec ${shq(dep.binary)} ${args.map(shq).join(' ')}`,
  ].join('\n');
}

/** Removes the directory unless another collector is still running from it. */
export async function removeDeployment(t: NodeTransport, dep: Deployment): Promise<void> {
  // The bracket keeps the pattern from matching the shell that runs pgrep itself.
  const pattern = `${dep.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[${COLLECTOR_NAME[0]}]${COLLECTOR_NAME.slice(1)}( |$)`;
  await t.run(`pgrep -f ${shq(pattern)} >/dev/null 2>&1 || rm -rf ${shq(dep.dir)}`, { timeoutMs: 15_000 });
}
