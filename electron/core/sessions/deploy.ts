/**
 * Puts the collector on the node: a private directory (mode 0700, owned by the login user, named
 * after the binary's hash so an identical earlier upload is reused), SFTP upload to a partial
 * name, sha256 verified on the node, then renamed. Root verifies the hash again right before it
 * executes the binary (see collectorCommand), so what runs is exactly what was built.
 */
import type { CollectorArtifact } from './collector-artifact';
import { spaceScript } from './preflight';
import { shq, type NodeTransport } from './transport';

export const COLLECTOR_NAME = 'tracehound-collector';

export interface Deployment {
  dir: string;
  binary: string;
  reused: boolean;
}

export interface Prepared {
  base: string;
  dir: string;
  /** `reuse`: an identical binary is there; `upload`: the directory is ready for one. */
  verdict: 'reuse' | 'upload';
  /** key=value lines about the directory's file system, for preflight. */
  preflight: string;
}

/**
 * One round trip as the login user: find its temp directory, then reuse, create, or (when the
 * name is taken by someone else) replace with a fresh private directory; report space and noexec.
 */
function prepareScript(sha: string): string {
  return [
    'base="${TMPDIR:-/tmp}"',
    'case "$base" in /*) ;; *) base=/tmp ;; esac',
    'base="${base%/}"; [ -n "$base" ] || base=/tmp',
    `d="$base/tracehound-${sha.slice(0, 16)}"`,
    'if [ -d "$d" ] && [ ! -L "$d" ] && [ "$(stat -c %u "$d")" = "$(id -u)" ] && [ "$(stat -c %a "$d")" = 700 ]; then',
    `  if [ -f "$d/${COLLECTOR_NAME}" ] && echo "${sha}  $d/${COLLECTOR_NAME}" | sha256sum -c --status 2>/dev/null; then v=reuse; else v=upload; fi`,
    'elif [ -e "$d" ] || [ -L "$d" ]; then d=$(mktemp -d "$base/tracehound.XXXXXXXX") && v=upload || v=error',
    'else mkdir -m 0700 "$d" && v=upload || v=error; fi',
    'printf "base=%s\\ndir=%s\\nverdict=%s\\n" "$base" "$d" "$v"',
    spaceScript('base'),
  ].join('\n');
}

export async function prepareDeployment(t: NodeTransport, art: CollectorArtifact): Promise<Prepared> {
  const r = await t.run(prepareScript(art.sha256), { timeoutMs: 30_000, maxOutputBytes: 16 * 1024 });
  const kv = new Map(r.stdout.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const));
  const base = kv.get('base') ?? '';
  const dir = kv.get('dir') ?? '';
  const verdict = kv.get('verdict');
  if (!base.startsWith('/') || !dir.startsWith(`${base}/`) || /[\0\n]/.test(dir) || (verdict !== 'reuse' && verdict !== 'upload'))
    throw new Error(`cannot prepare a private directory for the collector on the node: ${r.stderr.trim().slice(0, 300) || r.stdout.trim().slice(0, 300)}`);
  return { base, dir, verdict, preflight: r.stdout };
}

export async function deployCollector(
  t: NodeTransport,
  p: Prepared,
  art: CollectorArtifact,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<Deployment> {
  const dir = p.dir;
  if (p.verdict === 'reuse') return { dir, binary: `${dir}/${COLLECTOR_NAME}`, reused: true };
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
