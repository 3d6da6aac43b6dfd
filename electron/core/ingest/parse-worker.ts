/**
 * Worker thread of an ingest: splits and validates lines so the thread that writes SQLite (and
 * answers the console) spends its time on inserts. Messages: {chunk} and {end, cut} in, parsed
 * batches and {ended} out. The parser asks for more only after the main thread took a batch,
 * so memory stays bounded.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchParser, type ParserOptions } from './batch';

const opts = workerData as ParserOptions & { batchLines: number };
const parser = new BatchParser(opts);
const port = parentPort!;

port.on('message', (m: { chunk?: Uint8Array; end?: boolean; cut?: boolean }) => {
  if (m.chunk) {
    parser.push(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
    // one reply per chunk: the main thread counts chunks in flight for back-pressure
    port.postMessage({ batch: parser.takeBatch() });
  } else if (m.end) {
    const r = parser.end(m.cut ?? false);
    port.postMessage({ batch: parser.takeBatch(), ended: r });
  }
});
