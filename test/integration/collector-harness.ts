// Runs the real collector binary on the real kernel and collects its JSON lines.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLine } from '../../shared/events.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const AGENT_DIR = resolve(ROOT, 'agent-bpf');
export const BIN = resolve(AGENT_DIR, '.output/bin/tracehound-collector-x86_64');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- lines are untyped JSON, read by assertions
export type Line = Record<string, any> & { kind: string };

/** Builds the collector once if the binary is missing (tests run after `npm run build:agent`). */
export function ensureBuilt(): void {
  if (!existsSync(BIN)) execFileSync('make', ['-C', AGENT_DIR], { stdio: 'inherit' });
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('collector tests run as root on the real kernel');
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Collector {
  readonly lines: Line[] = [];
  readonly raw: string[] = [];
  /** Lines the shared schema validator rejects (should stay empty). */
  readonly invalid: Array<{ line: string; field: string; message: string }> = [];
  stderr = '';
  readonly exited: Promise<Exit>;
  private partial = '';
  private waiters: Array<() => void> = [];

  constructor(readonly proc: ChildProcess) {
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop()!;
      for (const raw of parts) {
        this.raw.push(raw);
        const check = parseLine(raw);
        if (!check.ok) this.invalid.push({ line: raw.slice(0, 300), field: check.field, message: check.message });
        // a line that is not valid JSON fails the test that owns this collector
        this.lines.push(JSON.parse(raw) as Line);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (c: string) => (this.stderr += c));
    this.exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
    this.exited.then(() => this.waiters.splice(0).forEach((w) => w()));
  }

  /** The first line, which is always hello. */
  get hello(): Line {
    const h = this.lines[0];
    if (h?.kind !== 'hello') throw new Error('no hello line');
    return h;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** Resolves with the first line matching pred, or rejects after timeoutMs. */
  async waitFor(pred: (l: Line) => boolean, timeoutMs = 10_000, what = 'line'): Promise<Line> {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    for (;;) {
      for (; seen < this.lines.length; seen++) {
        const l = this.lines[seen]!;
        if (pred(l)) return l;
      }
      if (this.proc.exitCode !== null || this.proc.signalCode !== null)
        throw new Error(`collector exited before ${what}; stderr: ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  /** Waits until a stats line newer than now has been written: everything before is flushed. */
  async settle(): Promise<void> {
    const n = this.lines.length;
    await this.waitFor((l) => l.kind === 'stats' && this.lines.indexOf(l) >= n, 5000, 'stats');
    await this.waitFor((l) => l.kind === 'stats' && this.lines.indexOf(l) >= n + 1, 5000, 'stats');
  }

  of(kind: string): Line[] {
    return this.lines.filter((l) => l.kind === kind);
  }

  /** Every line of the process tree rooted at `root` (children followed through fork lines). */
  subtree(root: number): Line[] {
    const pids = new Set([root]);
    for (const l of this.lines) if (l.kind === 'fork' && pids.has(l.ppid)) pids.add(l.pid);
    return this.lines.filter((l) => pids.has(l.pid));
  }

  async stop(): Promise<Exit> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    return this.exited;
  }
}

/** Starts the collector with a stdin pipe (closing it stops the collector) and waits for hello. */
export async function startCollector(args: string[] = ['--no-snapshot']): Promise<Collector> {
  ensureBuilt();
  const proc = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const c = new Collector(proc);
  await c.waitFor((l) => l.kind === 'hello', 20_000, 'hello');
  return c;
}

/** Runs a command to completion; resolves with its pid and exit status. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ pid: number; code: number | null; signal: NodeJS.Signals | null; out: string }>(
    (res, rej) => {
      const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('error', rej);
      p.on('exit', (code, signal) => res({ pid: p.pid!, code, signal, out }));
    },
  );
}

/** BPF programs a process holds, by id and name, from its fds (fdinfo has prog_id). */
export function programsOf(pid: number): Array<{ id: number; name: string }> {
  const ids = new Set<number>();
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      const m = /^prog_id:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (m) ids.add(Number(m[1]));
    } catch {
      // fd closed meanwhile
    }
  }
  const all = listPrograms();
  return [...ids].map((id) => ({ id, name: all.get(id) ?? '' }));
}

/** Every loaded BPF program: id -> name. */
export function listPrograms(): Map<number, string> {
  const progs = JSON.parse(execFileSync('bpftool', ['-j', 'prog', 'show'], { encoding: 'utf8' })) as Array<{
    id: number;
    name?: string;
  }>;
  return new Map(progs.map((p) => [p.id, p.name ?? '']));
}

/** True when `line` belongs to one of the given process ids. */
export const byPids = (pids: Set<number>) => (l: Line) => pids.has(l.pid);
