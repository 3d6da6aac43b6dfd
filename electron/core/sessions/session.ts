/**
 * One live capture on one node: connecting → uploading → running → stopping → ended, or failed /
 * interrupted. Everything received is kept whatever the ending. A session is one segment of an
 * investigation; reconnecting starts the next segment.
 */
import { join } from 'node:path';
import type { PreflightCheck, SessionInfo, SessionStateName } from '../../../shared/api/sessions';
import type { CollectorArtifact } from './collector-artifact';
import { collectorCommand, deployCollector, prepareDeployment, removeDeployment, type Deployment, type Prepared } from './deploy';
import { describeCollectorExit } from './exit-codes';
import { evaluatePreflight, preflightFailure, rootPreflightScript } from './preflight';
import { SessionLog } from './session-log';
import type { SessionSink, SinkFactory, SinkOutcome } from './sink';
import { StreamTap, sum } from './stream-tap';
import { shq, type NodeTransport, type Prompter, type RemoteProcess, type TransportFactory } from './transport';

export interface SessionOptions {
  id: string;
  investigation: string;
  segment: number;
  target: string;
  openTransport: TransportFactory;
  prompter: Prompter;
  collectorFor(arch: string): CollectorArtifact;
  sink: SinkFactory;
  logDir: string | null;
  collectorArgs: readonly string[];
  onChange(info: SessionInfo): void;
  /** Bytes of the collector sent so far (uploads only; a reused binary sends nothing). */
  onUploadProgress?(done: number, total: number): void;
  /** How long the collector gets to exit after SIGTERM and EOF before it is killed. */
  stopTimeoutMs?: number;
}

/** Timestamps of the start-up steps, for benchmarks and the session log. */
export interface SessionTimings {
  begin: number;
  connected?: number;
  preflighted?: number;
  uploaded?: number;
  spawned?: number;
  hello?: number;
}

/** The responder's own architecture: the likeliest one for the node, checked by preflight. */
function localArch(): string {
  return process.arch === 'arm64' ? 'aarch64' : 'x86_64';
}

export class Session {
  readonly timings: SessionTimings = { begin: Date.now() };
  private state: SessionStateName = 'connecting';
  private message: string | null = null;
  private endedAt: number | null = null;
  private readonly abort = new AbortController();
  private transport: NodeTransport | null = null;
  private proc: RemoteProcess | null = null;
  private sink: SessionSink | null = null;
  private deployment: Deployment | null = null;
  private preflight: PreflightCheck[] = [];
  private prepared: Prepared | null = null;
  private readonly log: SessionLog;
  private readonly tap: StreamTap;
  private drops = 0;
  private rate = 0;
  private collectorPid: number | null = null;
  private rateTimer: NodeJS.Timeout | null = null;
  private stopRequested = false;
  private done!: () => void;
  /** Resolves when the session reached a final state and everything is released. */
  readonly finished = new Promise<void>((r) => (this.done = r));

  constructor(private readonly o: SessionOptions) {
    this.log = new SessionLog(o.logDir ? join(o.logDir, `${o.id}.log`) : null);
    this.tap = new StreamTap({
      onHello: (h) => {
        this.timings.hello = Date.now();
        if (typeof h.self_pid === 'number') this.collectorPid = h.self_pid;
        this.log.note(`collector ${String(h.collector)} on kernel ${String(h.kernel)} started`);
      },
      onStats: (s) => {
        const d = sum(s.dropped);
        if (d !== this.drops) {
          this.drops = d;
          this.changed();
        }
      },
      onError: (msg, fatal) => this.log.note(`collector ${fatal ? 'fatal ' : ''}error: ${msg}`),
    });
  }

  get id(): string {
    return this.o.id;
  }

  get collectorPidOnNode(): number | null {
    return this.collectorPid;
  }

  /** The private directory holding the collector on the node, once uploaded. */
  get deploymentDir(): string | null {
    return this.deployment?.dir ?? null;
  }

  info(): SessionInfo {
    return {
      session: this.o.id,
      investigation: this.o.investigation,
      segment: this.o.segment,
      node: this.o.target,
      state: this.state,
      message: this.message,
      startedAt: this.timings.begin,
      endedAt: this.endedAt,
      events: this.tap.events,
      rate: this.rate,
      drops: this.drops,
      privilege: this.transport?.privilege ?? null,
      preflight: this.preflight,
      capturePath: this.sink?.capturePath ?? null,
      logPath: this.log.path,
      log: [...this.log.tail],
    };
  }

  private changed(): void {
    this.o.onChange(this.info());
  }

  private setState(s: SessionStateName, message: string | null = null): void {
    this.state = s;
    this.message = message;
    this.log.note(`${s}${message ? `: ${message}` : ''}`);
    this.changed();
  }

  /** Runs the start-up; resolves once the collector runs (or the session failed). */
  async start(): Promise<void> {
    try {
      await this.startUp();
    } catch (e) {
      const msg = this.abort.signal.aborted ? 'stopped before the collector started' : (e as Error).message;
      await this.finish(this.abort.signal.aborted ? 'ended' : 'failed', msg, 'failed');
    }
  }

  private async startUp(): Promise<void> {
    this.setState('connecting');
    const t = await this.o.openTransport(this.o.target, this.o.prompter, this.abort.signal);
    this.transport = t;
    this.timings.connected = Date.now();
    t.onClose((err) => {
      if (this.state === 'connecting' || this.state === 'uploading') this.abort.abort();
      if (!this.proc && this.state !== 'failed' && this.state !== 'ended')
        void this.finish('interrupted', `connection lost${err ? `: ${err.message}` : ''}`, 'interrupted');
    });
    // Preflight (root) and the directory (login user) in parallel: each exec is a round trip.
    const guess = this.artifactFor(localArch());
    const [pre, guessed] = await Promise.all([
      t.runAsRoot(rootPreflightScript(), { timeoutMs: 20_000, maxOutputBytes: 16 * 1024 }),
      guess ? prepareDeployment(t, guess) : Promise.resolve(null),
    ]);
    const arch = /^arch=(.*)$/m.exec(pre.stdout)?.[1]?.trim() ?? '';
    const art = this.artifactFor(arch);
    const prepared = art && guessed && art.sha256 === guess?.sha256 ? guessed : art ? await prepareDeployment(t, art) : guessed;
    this.prepared = prepared;
    this.preflight = evaluatePreflight(`${pre.stdout}\n${prepared?.preflight ?? ''}`, prepared?.base ?? '/tmp', art?.size ?? 0);
    this.timings.preflighted = Date.now();
    if (!art || !prepared) {
      // Without a collector the directory was never checked: report the rest of preflight only.
      const rest = preflightFailure(this.preflight.filter((c) => c.name !== 'space'));
      this.preflight = this.preflight.filter((c) => c.name !== 'space');
      throw new Error([this.artifactError ?? `no collector built for ${arch}`, rest].filter(Boolean).join('\n'));
    }
    const bad = preflightFailure(this.preflight);
    if (bad) throw new Error(bad);
    this.abort.signal.throwIfAborted();

    this.setState('uploading');
    this.deployment = await deployCollector(t, prepared, art, this.o.onUploadProgress, this.abort.signal);
    this.timings.uploaded = Date.now();
    this.log.note(this.deployment.reused ? `reusing ${this.deployment.binary}` : `uploaded ${this.deployment.binary}`);
    this.abort.signal.throwIfAborted();

    this.sink = await this.o.sink({ session: this.o.id, investigation: this.o.investigation, segment: this.o.segment, node: this.o.target });
    const proc = await t.spawnAsRoot(collectorCommand(this.deployment, art.sha256, this.o.collectorArgs));
    this.proc = proc;
    this.timings.spawned = Date.now();
    proc.stdout.on('data', (b: Buffer) => this.tap.push(b));
    proc.stdout.pipe(this.sink.input, { end: false });
    proc.stderr.on('data', (b: Buffer) => this.log.write(b));
    const stdoutDone = new Promise<void>((r) => {
      proc.stdout.once('end', r);
      proc.stdout.once('close', r);
    });
    void proc.ended.then(async (r) => {
      await Promise.race([stdoutDone, new Promise((res) => setTimeout(res, 2000))]);
      if (this.stopRequested) await this.finish('ended', r.lost ? 'stopped (connection closed)' : 'stopped', 'complete');
      else if (r.lost) await this.finish('interrupted', 'connection to the node lost; everything received is kept', 'interrupted');
      else if (r.code === 0) await this.finish('ended', describeCollectorExit(r.code, r.signal), 'complete');
      else await this.finish('failed', `${describeCollectorExit(r.code, r.signal)}${this.lastLog()}`, 'failed');
    });
    let last = 0;
    this.rateTimer = setInterval(() => {
      const n = this.tap.events;
      this.rate = n - last;
      last = n;
      this.changed();
    }, 1000);
    this.rateTimer.unref();
    if (this.state === 'uploading') this.setState('running');
  }

  private artifactError: string | null = null;

  private artifactFor(arch: string): CollectorArtifact | null {
    try {
      return this.o.collectorFor(arch);
    } catch (e) {
      this.artifactError = (e as Error).message;
      return null;
    }
  }

  private lastLog(): string {
    const l = this.log.tail.filter((x) => !x.startsWith('[tracehound')).slice(-3);
    return l.length ? `: ${l.join(' / ')}` : '';
  }

  /** SIGTERM through the channel, then EOF on its stdin; killed by pid if it lingers. */
  async stop(): Promise<SessionInfo> {
    if (this.endedAt !== null) return this.info();
    this.stopRequested = true;
    if (!this.proc) {
      this.abort.abort();
      this.transport?.close().catch(() => undefined);
      await this.finished;
      return this.info();
    }
    if (this.state === 'running') this.setState('stopping');
    const proc = this.proc;
    proc.signal('TERM');
    proc.endInput();
    const timeout = this.o.stopTimeoutMs ?? 5000;
    const exited = await Promise.race([proc.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeout))]);
    if (!exited) {
      this.log.note('collector did not exit after SIGTERM; killing it');
      if (this.collectorPid && this.transport)
        await this.transport.runAsRoot(`kill -KILL ${this.collectorPid}`, { timeoutMs: 5000 }).catch(() => undefined);
      proc.close();
    }
    await this.finished;
    return this.info();
  }

  private finishing = false;

  private async finish(state: SessionStateName, message: string, outcome: SinkOutcome): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    if (this.rateTimer) clearInterval(this.rateTimer);
    this.rate = 0;
    try {
      await this.sink?.end(outcome, state === 'ended' ? null : message);
    } catch (e) {
      this.log.note(`storing the end of the stream failed: ${(e as Error).message}`);
    }
    const t = this.transport;
    if (t && this.deployment && state !== 'interrupted') await removeDeployment(t, this.deployment).catch(() => undefined);
    else if (t && this.prepared?.verdict === 'upload' && state !== 'interrupted')
      await t.run(`rmdir ${shq(this.prepared.dir)} 2>/dev/null`, { timeoutMs: 10_000 }).catch(() => undefined);
    await t?.close().catch(() => undefined);
    this.endedAt = Date.now();
    this.setState(state, message);
    await this.log.close();
    this.done();
  }
}
