import type { PushEvents, PushName } from '../../shared/api';

type Listener = <P extends PushName>(name: P, payload: PushEvents[P]) => void;

/** Pushes core events (progress, ingest, session state) to every connected renderer. */
export class PushBus {
  private readonly listeners = new Set<Listener>();

  emit<P extends PushName>(name: P, payload: PushEvents[P]): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // A failing transport must not stop the others.
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
