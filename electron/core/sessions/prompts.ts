/**
 * Questions waiting for the responder (host-key trust, key passphrase, sudo password). Each gets an
 * id, is pushed to every renderer, and is answered once; unanswered ones time out as cancelled.
 */
import { randomUUID } from 'node:crypto';
import type { SessionPrompt } from '../../../shared/api/sessions';
import type { PromptAnswer, Prompter, PromptRequest } from './transport';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export class PromptBroker {
  private readonly pending = new Map<string, { prompt: SessionPrompt; resolve(a: PromptAnswer): void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly emit: (p: SessionPrompt) => void,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  /** A prompter bound to one session. */
  forSession(session: string, node: string): Prompter {
    return (req: PromptRequest) =>
      new Promise<PromptAnswer>((resolve) => {
        const id = randomUUID();
        const prompt = { ...req, prompt: id, session, node } as SessionPrompt;
        const timer = setTimeout(() => this.answer(id, { cancel: true }), this.timeoutMs);
        timer.unref();
        this.pending.set(id, { prompt, resolve, timer });
        this.emit(prompt);
      });
  }

  answer(id: string, a: PromptAnswer): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(a);
    return true;
  }

  list(): SessionPrompt[] {
    return [...this.pending.values()].map((p) => p.prompt);
  }

  /** Cancels the prompts of a session (stopped while asking). */
  cancelSession(session: string): void {
    for (const [id, p] of this.pending) if (p.prompt.session === session) this.answer(id, { cancel: true });
  }
}
