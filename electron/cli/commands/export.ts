import { existsSync } from 'node:fs';
import type { CliCommand } from '../types';
import { parseFlags, UsageError } from '../args';
import { openStore } from '../../core/store/store';
import { exportCapture } from '../../core/capture/export';
import { compileRedactions } from '../../core/capture/redact';

/** A time flag: an ISO date ("2026-11-24T19:03:00Z") or wall-clock microseconds. */
function timeFlag(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} expects an ISO date or microseconds since the epoch, got ${JSON.stringify(v)}`);
  return ms * 1000;
}

export const command: CliCommand = {
  name: 'export',
  summary: 'Write a subset of an investigation (time range, container, process subtree) as a capture, optionally redacted',
  usage:
    'tracehound export --db file --out capture.jsonl.gz [--from T] [--to T] [--container ID] [--pid N] [--redact REGEX]...\n' +
    '  --from/--to  ISO date or wall-clock µs; --pid exports that process and its descendants\n' +
    '  --redact     regular expression masked in argv, paths and environment (capture groups only, if any)',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      db: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      container: { type: 'string' },
      pid: { type: 'string' },
      redact: { type: 'string', multiple: true },
    });
    if (positionals.length) throw new UsageError(`unexpected ${positionals[0]}`);
    if (!values.db || !existsSync(values.db)) throw new UsageError('--db must name an existing database');
    if (!values.out) throw new UsageError('--out is required');
    if (existsSync(values.out)) throw new UsageError(`${values.out} exists; exports never overwrite a file`);
    const redact = values.redact ?? [];
    try {
      compileRedactions(redact);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const store = openStore(values.db);
    try {
      let process_: number | undefined;
      if (values.pid !== undefined) {
        if (!/^\d+$/.test(values.pid)) throw new UsageError('--pid expects a process id');
        const ids = store.db.prepare('SELECT id FROM processes WHERE pid = ? ORDER BY start_key').pluck().all(Number(values.pid)) as number[];
        if (ids.length === 0) throw new UsageError(`no process with pid ${values.pid} in ${values.db}`);
        if (ids.length > 1) process.stderr.write(`pid ${values.pid} was used by ${ids.length} processes; exporting the first\n`);
        process_ = ids[0];
      }
      const r = await exportCapture(store, {
        path: values.out,
        from: timeFlag(values.from, 'from'),
        to: timeFlag(values.to, 'to'),
        container: values.container,
        process: process_,
        redact,
      });
      process.stdout.write(`${r.path}: ${r.events} events${redact.length ? `, ${r.redactedEvents} redacted` : ''}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
