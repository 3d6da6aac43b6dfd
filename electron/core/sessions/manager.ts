/** Several live sessions at once, one per node, each its own state, sink and log. */
import { randomUUID } from 'node:crypto';
import type { PushEvents } from '../../../shared/api';
import type { SessionInfo, SessionPrompt } from '../../../shared/api/sessions';
import type { CollectorArtifact } from './collector-artifact';
import { PromptBroker } from './prompts';
import { Session } from './session';
import type { SinkFactory } from './sink';
import type { PromptAnswer, TransportFactory } from './transport';

export interface SessionManagerOptions {
  openTransport: TransportFactory;
  collectorFor(arch: string): CollectorArtifact;
  sink: SinkFactory;
  logDir: string | null;
  emitState(p: PushEvents['sessionState']): void;
  emitPrompt(p: SessionPrompt): void;
  /** Upload progress of a session's collector, throttled by the caller if needed. */
  emitUpload?(session: string, node: string, done: number, total: number): void;
  promptTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface StartRequest {
  target: string;
  durationSeconds?: number;
  kinds?: string;
  pid?: number;
}

const MAX_SESSIONS = 256;

export class SessionManager {
  readonly prompts: PromptBroker;
  private readonly sessions = new Map<string, { session: Session; req: StartRequest; started: Promise<void> }>();

  constructor(private readonly o: SessionManagerOptions) {
    this.prompts = new PromptBroker(o.emitPrompt, o.promptTimeoutMs);
  }

  /** Starts a session in the background; its progress arrives as pushed state. */
  start(req: StartRequest, segmentOf?: { investigation: string; segment: number }): Session {
    const live = [...this.sessions.values()].filter((s) => s.session.info().endedAt === null).length;
    if (live >= MAX_SESSIONS) throw new Error(`at most ${MAX_SESSIONS} live sessions at once`);
    const id = randomUUID();
    const args: string[] = [];
    if (req.durationSeconds) args.push(`--duration=${req.durationSeconds}`);
    if (req.kinds) args.push(`--kinds=${req.kinds}`);
    if (req.pid) args.push(`--pid=${req.pid}`);
    const session = new Session({
      id,
      investigation: segmentOf?.investigation ?? randomUUID(),
      segment: segmentOf ? segmentOf.segment + 1 : 1,
      target: req.target,
      openTransport: this.o.openTransport,
      prompter: this.prompts.forSession(id, req.target),
      collectorFor: this.o.collectorFor,
      sink: this.o.sink,
      logDir: this.o.logDir,
      collectorArgs: args,
      stopTimeoutMs: this.o.stopTimeoutMs,
      onUploadProgress: this.o.emitUpload ? (done, total) => this.o.emitUpload!(id, req.target, done, total) : undefined,
      onChange: (i) =>
        this.o.emitState({ session: i.session, node: i.node, state: i.state, rate: i.rate, drops: i.drops, ...(i.message ? { message: i.message } : {}) }),
    });
    this.sessions.set(id, { session, req, started: session.start() });
    return session;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id)?.session;
  }

  /** Resolves once the session is running or has ended. */
  async started(id: string): Promise<void> {
    await this.sessions.get(id)?.started;
  }

  answer(prompt: string, a: PromptAnswer): boolean {
    return this.prompts.answer(prompt, a);
  }

  async stop(id: string): Promise<SessionInfo | null> {
    const s = this.sessions.get(id);
    if (!s) return null;
    this.prompts.cancelSession(id);
    return s.session.stop();
  }

  /** A new segment of the same investigation on the same node, after an interruption or a stop. */
  reconnect(id: string): Session | null {
    const s = this.sessions.get(id);
    if (!s) return null;
    const i = s.session.info();
    if (i.endedAt === null) throw new Error('the session is still live; stop it before reconnecting');
    return this.start(s.req, { investigation: i.investigation, segment: i.segment });
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => s.session.info());
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.stop(id).catch(() => null)));
  }
}
