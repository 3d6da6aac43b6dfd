import { basename, extname } from 'node:path';
import { existsSync } from 'node:fs';
import type { CliCommand } from '../types';
import { parseFlags, UsageError } from '../args';
import { openStore, type Store } from '../../core/store/store';
import { importCapture, type ImportProgress, type ImportResult } from '../../core/capture/import';
import { createIngest } from '../../core/ingest/ingest';

/** Exit status when the file was damaged or cut: what came before is imported. */
export const EXIT_TRUNCATED = 4;

/** `capture.jsonl.gz` → `capture.tracehound.db` in the working directory. */
export function defaultDatabase(capture: string): string {
  let name = basename(capture);
  for (const ext of ['.gz', '.jsonl', '.json']) if (extname(name) === ext) name = name.slice(0, -ext.length);
  return `${name}.tracehound.db`;
}

export function progressLine(p: ImportProgress): string {
  if (p.phase === 'indexing') return `\r100% ${p.events} events in; building indexes (${p.indexes?.done ?? 0} of ${p.indexes?.total ?? '?'})   `;
  const pct = p.totalBytes > 0 ? ((p.bytes / p.totalBytes) * 100).toFixed(0) : '?';
  const eta = p.etaSeconds === null ? '' : `, ${Math.ceil(p.etaSeconds)} s left`;
  return `\r${pct}% ${p.events} events, ${Math.round(p.rate)}/s${eta}   `;
}

export function describeResult(r: ImportResult, db: string): string {
  if (r.skipped) return `${r.path}: already imported into ${db} (${r.stats.events} events)\n`;
  const lines = [`${r.path}: ${r.state}, ${r.stats.events} events, ${r.stats.processes} processes, ${r.stats.containers} containers → ${db}`];
  if (r.reason) lines.push(`  stopped: ${r.reason}`);
  if (r.stats.drops) lines.push(`  the collector reported ${r.stats.drops} dropped events`);
  if (r.stats.badLines || r.stats.unknownKinds) {
    lines.push(`  ${r.stats.badLines} bad lines, ${r.stats.unknownKinds} lines of unknown kinds (kept)`);
    for (const b of r.stats.firstBadLines.slice(0, 10)) lines.push(`  line ${b.line}: ${b.field}: ${b.message}`);
  }
  return lines.join('\n') + '\n';
}

/** Imports with progress on stderr; Ctrl-C cancels and keeps what was imported. */
export async function importWithProgress(store: Store, path: string, opts: { speed?: number; quiet?: boolean; onCommit?: () => void }) {
  const ctl = new AbortController();
  const onSig = () => ctl.abort();
  process.once('SIGINT', onSig);
  try {
    return await importCapture(store, path, {
      signal: ctl.signal,
      ...(opts.speed ? { speed: opts.speed } : {}),
      onProgress: (p) => {
        if (!opts.quiet && process.stderr.isTTY) process.stderr.write(progressLine(p));
      },
      ...(opts.onCommit ? { onCommit: opts.onCommit } : {}),
    });
  } finally {
    process.off('SIGINT', onSig);
    if (!opts.quiet && process.stderr.isTTY) process.stderr.write('\n');
  }
}

/** Collector output piped in (`tracehound-collector | tracehound import - --db x.db`). */
async function importStdin(store: Store, db: string): Promise<number> {
  const ingest = createIngest(store, { source: 'stdin' });
  const onSig = () => ingest.destroy();
  process.once('SIGINT', onSig);
  try {
    process.stdin.pipe(ingest);
    const s = await ingest.finished().catch(() => ingest.stats);
    process.stdout.write(`stdin: ${ingest.captureState ?? 'cancelled'}, ${s.events} events, ${s.processes} processes, ${s.containers} containers → ${db}\n`);
    for (const b of s.firstBadLines.slice(0, 10)) process.stdout.write(`  line ${b.line}: ${b.field}: ${b.message}\n`);
    return ingest.captureState === 'complete' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSig);
  }
}

export const command: CliCommand = {
  name: 'import',
  summary: 'Import capture files (gzip or plain JSON lines, cut ones too) into an investigation database',
  usage:
    'tracehound import <capture>... [--db file] [--quiet]\n' +
    '       tracehound import - --db file          (collector output on stdin)\n' +
    `  --db     database to create or extend (default: <capture>.tracehound.db here)\n` +
    `  exit status: 0 imported, 1 failed, ${EXIT_TRUNCATED} a file was cut or damaged (imported up to the damage)`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { db: { type: 'string' }, quiet: { type: 'boolean' } });
    if (positionals.length === 0) throw new UsageError('give at least one capture file');
    if (positionals.includes('-')) {
      if (positionals.length > 1 || !values.db) throw new UsageError('stdin ("-") is imported alone, into the database given by --db');
      const store = openStore(values.db);
      try {
        return await importStdin(store, values.db);
      } finally {
        store.close();
      }
    }
    for (const p of positionals) if (!existsSync(p)) throw new UsageError(`no such file: ${p}`);
    const db = values.db ?? defaultDatabase(positionals[0]!);
    const store = openStore(db);
    let code = 0;
    try {
      for (const path of positionals) {
        const r = await importWithProgress(store, path, { quiet: values.quiet ?? false });
        process.stdout.write(describeResult(r, db));
        if (r.state === 'cancelled') return 130;
        if (r.state === 'failed') code = 1;
        else if (r.state === 'truncated' && code === 0) code = EXIT_TRUNCATED;
      }
    } finally {
      store.close();
    }
    return code;
  },
};
