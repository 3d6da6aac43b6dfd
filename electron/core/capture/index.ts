/**
 * Capture files (shared/CAPTURE.md): writing while a session runs, importing (any size, cut or
 * damaged, resumable), exporting a subset with redaction.
 *
 *   const w = await CaptureWriter.create(path, { node: host });
 *   channel.stdout.on('data', (b) => { if (!w.write(b)) … await w.drained(); });
 *   await w.close();
 */
export { CaptureWriter, type CaptureWriterOptions, type CaptureWriterStats } from './writer';
export { importCapture, type ImportOptions, type ImportProgress, type ImportResult } from './import';
export { exportCapture, type ExportResult } from './export';
export { inspectCapture, CaptureError, type CaptureInfo } from './reader';
export { CAPTURE_FORMAT, type CaptureHeader } from './format';
