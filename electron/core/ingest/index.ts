/**
 * Streaming ingest of collector output into an investigation database.
 *
 *   const ingest = createIngest(store, { source: 'live', onCommit: (s) => … });
 *   channel.stdout.pipe(ingest);            // back-pressure through pipe()
 *   const stats = await ingest.finished();  // after the channel ends
 *
 * A live session also tees the same bytes into a CaptureWriter (../capture).
 */
export { createIngest, Ingest, type IngestOptions, type IngestStats, type IngestOutcome, type BadLine } from './ingest';
