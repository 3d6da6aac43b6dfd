// Wraps a collector output file into a capture file (header + lines, gzip) with the product's
// own writer, so the sample is byte-for-byte what a live session writes.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CaptureWriter } from '../electron/core/capture/writer';

const [src, dst] = process.argv.slice(2);
if (!src || !dst) {
  console.error('usage: write-capture.mts <collector-output.jsonl> <capture.jsonl.gz>');
  process.exit(2);
}
const w = await CaptureWriter.create(dst, { source: 'live' });
for await (const line of createInterface({ input: createReadStream(src), crlfDelay: Infinity })) {
  if (!w.writeLine(line)) await w.drained();
}
await w.close();
