// Child process of store-crash.test.ts: writes a capture line by line, endlessly, until killed.
import { CaptureWriter } from '../../electron/core/capture/writer';
import { readCaptureLines } from '../../bench/replicate';

const [src, out] = process.argv.slice(2);
const lines = readCaptureLines(src!).slice(1);
const w = await CaptureWriter.create(out!, { source: 'live' });
let i = 0;
process.stdout.write('started\n');
setInterval(() => {
  for (let k = 0; k < 40; k++, i++) w.writeLine(lines[i % lines.length]!);
}, 10);
