// runc containers from busybox-static for the collector and policy tests: bundles, runs with a
// deadline, clean-up; collector lines turned into observed behaviour.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLine } from '../../shared/events.js';
import { observe, type ObserveOptions } from '../../electron/core/policy/index.js';
import type { Observed } from '../../shared/policy.js';
import assert from 'node:assert/strict';
import { startCollector, type Collector } from './collector-harness.js';

const APPLETS = ['sh', 'ls', 'cat', 'echo', 'sleep', 'true', 'mkdir', 'touch', 'chown', 'httpd', 'wget', 'kill', 'wc', 'stat', 'rm', 'seq', 'cut', 'nc', 'pidof', 'head', 'timeout'];

export interface BundleOptions {
  args: string[];
  /** Keep the host's network namespace (the default spec creates an empty one, loopback down). */
  hostNetwork?: boolean;
  caps?: string[];
  seccomp?: unknown;
  /** Join this network namespace (a path such as /run/netns/x) instead of a new one. */
  netns?: string;
  annotations?: Record<string, string>;
}

export function makeBundle(opts: BundleOptions): string {
  const dir = mkdtempSync(join(tmpdir(), 'th-policy-'));
  const rootfs = join(dir, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
  copyFileSync('/bin/busybox', join(rootfs, 'bin/busybox'));
  for (const a of APPLETS) symlinkSync('busybox', join(rootfs, 'bin', a));
  execFileSync('runc', ['spec'], { cwd: dir });
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  cfg.process.terminal = false;
  cfg.process.args = opts.args;
  cfg.root.readonly = false;
  cfg.hostname = 'th-policy';
  cfg.annotations = {
    'io.kubernetes.pod.name': 'web-1',
    'io.kubernetes.pod.namespace': 'shop',
    'io.kubernetes.container.name': 'web',
  };
  if (opts.annotations) cfg.annotations = opts.annotations;
  if (opts.netns)
    cfg.linux.namespaces = cfg.linux.namespaces.map((n: { type: string }) => (n.type === 'network' ? { type: 'network', path: opts.netns } : n));
  if (opts.hostNetwork) cfg.linux.namespaces = cfg.linux.namespaces.filter((n: { type: string }) => n.type !== 'network');
  if (opts.caps) for (const set of ['bounding', 'effective', 'permitted']) cfg.process.capabilities[set] = opts.caps;
  if (opts.caps) delete cfg.process.capabilities.ambient;
  if (opts.seccomp) cfg.linux.seccomp = opts.seccomp;
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg, null, 2));
  return dir;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- config.json is the runtime's document, edited freely by tests
export function setBundle(dir: string, patch: (cfg: any) => void): void {
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  patch(cfg);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg, null, 2));
}

let counter = 0;
export function containerId(tag: string): string {
  return `th-pol-${tag}-${process.pid}-${Date.now() % 1_000_000}-${counter++}`;
}

/** Runs a container to completion (killed after timeoutMs); stdout and stderr apart. */
export function runContainer(bundle: string, id: string, timeoutMs = 30_000) {
  return new Promise<{ code: number | null; out: string; err: string }>((res, rej) => {
    const p = spawn('runc', ['run', '--bundle', bundle, id], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const t = setTimeout(() => {
      deleteContainer(id);
      p.kill('SIGKILL');
    }, timeoutMs);
    p.on('error', rej);
    p.on('exit', (code) => {
      clearTimeout(t);
      res({ code, out, err });
    });
  });
}

/**
 * Records one run of a container with the real collector: the run must succeed, and every line
 * is flushed before the collector stops. Returns the stopped collector with its lines.
 */
export async function recordContainer(bundle: string, id: string, collectorArgs: string[]): Promise<Collector> {
  const c = await startCollector(['--no-snapshot', '--container', id, ...collectorArgs]);
  try {
    const r = await runContainer(bundle, id);
    assert.equal(r.code, 0, r.out + r.err);
    await c.settle();
  } finally {
    await c.stop();
  }
  return c;
}

export function deleteContainer(id: string): void {
  try {
    execFileSync('runc', ['delete', '-f', id], { stdio: 'ignore' });
  } catch {
    // never started, or already gone
  }
}

export function removeBundle(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** The collector's lines so far, validated, as observed behaviour per workload. */
export function observedFrom(c: Collector, opts: ObserveOptions = {}): Observed[] {
  const events = c.raw.flatMap((raw, i) => {
    const r = parseLine(raw);
    return r.ok ? [{ event: r.event, seq: i + 1, capture: 'live' }] : [];
  });
  return observe(events, opts);
}
