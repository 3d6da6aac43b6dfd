/**
 * Cooperative time slicing for long work in the renderer: the work runs in slices of a few
 * milliseconds and lets the page paint a frame between them, so no frame waits for all of it.
 * One slicer is shared by everything feeding the same work (e.g. several requests in flight).
 */
export class FrameSlicer {
  private deadline: number;
  private waiting: Promise<void> | null = null;

  constructor(private readonly sliceMs = 8) {
    this.deadline = performance.now() + sliceMs;
  }

  /** Starts a slice now: after waiting for something else than a frame (data to work on). */
  begin(): void {
    this.deadline = performance.now() + this.sliceMs;
  }

  /** The current slice has used its time: call `nextFrame` before doing more. */
  get spent(): boolean {
    return performance.now() >= this.deadline;
  }

  /** Resolves once the next frame is painted, when a new slice starts (one wait for all callers). */
  nextFrame(): Promise<void> {
    this.waiting ??= new Promise<void>((resolve) => {
      let done = false;
      const go = () => {
        if (done) return;
        done = true;
        this.waiting = null;
        this.deadline = performance.now() + this.sliceMs;
        resolve();
      };
      // A hidden window paints no frames: a timer keeps the work moving there.
      const timer = window.setTimeout(go, 100);
      requestAnimationFrame(() => {
        window.clearTimeout(timer);
        window.setTimeout(go, 0);
      });
    });
    return this.waiting;
  }
}
