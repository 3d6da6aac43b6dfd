/**
 * Replays events at a multiple of their original pace, from the collector's `ts` (boot-time ns).
 * Lines without `ts` (hello, error) go out at once.
 */
export class Pacer {
  private firstTs: number | null = null;
  private startedAt = 0;

  constructor(private readonly speed: number) {}

  /** Milliseconds to wait before an event of this `ts` is due (0 when due; NaN = no ts). */
  delayFor(ts: number): number {
    if (Number.isNaN(ts)) return 0;
    if (this.firstTs === null) {
      this.firstTs = ts;
      this.startedAt = Date.now();
      return 0;
    }
    const due = this.startedAt + (ts - this.firstTs) / 1e6 / this.speed;
    return Math.max(0, Math.floor(due - Date.now()));
  }
}
