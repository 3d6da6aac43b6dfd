import { MAX_LINE_BYTES } from '../../../shared/events';

export type LineSink = (line: string, lineNo: number) => void;
export type OversizeSink = (lineNo: number, bytes: number) => void;

/**
 * Splits a byte stream into lines without ever holding more than one bounded line: a line longer
 * than `maxBytes` is skipped to its end and reported (by number and size), never buffered whole.
 * Line numbers count from `firstLine` so a capture's header can be line 1.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;
  private skippedBytes = 0;
  lineNo: number;

  constructor(
    private readonly onLine: LineSink,
    private readonly onOversize: OversizeSink,
    firstLine = 1,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {
    this.lineNo = firstLine;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (this.skipping) {
        this.skippedBytes += end - pos;
      } else if (this.carryBytes + (end - pos) > this.maxBytes) {
        this.skipping = true;
        this.skippedBytes = this.carryBytes + (end - pos);
        this.carry = [];
        this.carryBytes = 0;
      } else if (nl !== -1 && this.carryBytes === 0) {
        this.emit(chunk.toString('utf8', pos, end));
      } else {
        this.carry.push(chunk.subarray(pos, end));
        this.carryBytes += end - pos;
        if (nl !== -1) this.emit(Buffer.concat(this.carry, this.carryBytes).toString('utf8'));
      }
      if (nl === -1) break;
      if (this.skipping) {
        this.onOversize(this.lineNo++, this.skippedBytes);
        this.skipping = false;
        this.skippedBytes = 0;
      }
      this.carry = [];
      this.carryBytes = 0;
      pos = nl + 1;
    }
  }

  /** The stream ended: a last line without newline is still a line (returns true if one was cut). */
  end(): boolean {
    if (this.skipping) {
      this.onOversize(this.lineNo++, this.skippedBytes);
      this.skipping = false;
      return true;
    }
    if (this.carryBytes > 0) {
      this.emit(Buffer.concat(this.carry, this.carryBytes).toString('utf8'));
      this.carry = [];
      this.carryBytes = 0;
      return true;
    }
    return false;
  }

  /** The source was cut: drops a partial last line (its rest may still be written). Returns its size. */
  abandon(): number {
    const n = this.skipping ? this.skippedBytes : this.carryBytes;
    this.carry = [];
    this.carryBytes = 0;
    this.skipping = false;
    return n;
  }

  private emit(line: string): void {
    const n = this.lineNo++;
    // tolerate CRLF and blank lines: they are not events and not errors
    if (line.length === 0) return;
    this.onLine(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line, n);
  }
}
