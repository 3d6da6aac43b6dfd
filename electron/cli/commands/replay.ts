import { existsSync } from 'node:fs';
import type { CliCommand } from '../types';
import { parseFlags, UsageError } from '../args';
import { openStore } from '../../core/store/store';
import { toRow } from '../../core/store/queries/events';
import { describeResult, EXIT_TRUNCATED, importWithProgress } from './import';

function parseSpeed(v: string | undefined): number | undefined {
  if (v === undefined || v === '1') return 1;
  if (v === 'max') return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 1000) throw new UsageError('--speed is a whole multiple 1..1000, or max');
  return Number(v);
}

export const command: CliCommand = {
  name: 'replay',
  summary: 'Play a capture back, printing its events at their original pace (or faster) while storing them',
  usage:
    'tracehound replay <capture> [--db file] [--speed N|max] [--kinds exec,net,...]\n' +
    '  --db      keep the replayed events in this database (default: in memory)\n' +
    '  --speed   multiple of the original pace (default 1), or max',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      db: { type: 'string' },
      speed: { type: 'string' },
      kinds: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give one capture file');
    const path = positionals[0]!;
    if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
    const speed = parseSpeed(values.speed);
    const kinds = values.kinds ? new Set(values.kinds.split(',').map((k) => k.trim())) : null;
    // `replay … | head` closes our stdout: stop quietly, what was stored is committed
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
    });
    const store = openStore(values.db ?? ':memory:');
    let last = 0;
    const next = store.db.prepare(
      'SELECT e.seq, e.t, e.kind, e.pid, e.proc, c.cid, e.data FROM events e LEFT JOIN containers c ON c.id = e.container WHERE e.seq > ? ORDER BY e.seq LIMIT 5000',
    );
    // events are printed as they are committed, in arrival order
    const print = () => {
      for (;;) {
        const rows = next.all(last) as Array<Parameters<typeof toRow>[0]>;
        for (const r of rows) {
          last = r.seq;
          if (kinds && !kinds.has(r.kind)) continue;
          const e = toRow(r);
          const when = new Date(e.t / 1000).toISOString().slice(11, 23);
          process.stdout.write(`${when} ${e.kind.padEnd(8)} ${String(e.pid ?? '').padStart(7)} ${(e.comm ?? '').padEnd(15)} ${e.summary}\n`);
        }
        if (rows.length < 5000) return;
      }
    };
    try {
      const r = await importWithProgress(store, path, { ...(speed ? { speed } : {}), quiet: true, onCommit: print });
      print();
      process.stderr.write(describeResult(r, values.db ?? '(memory)'));
      if (r.state === 'cancelled') return 130;
      return r.state === 'failed' ? 1 : r.state === 'truncated' ? EXIT_TRUNCATED : 0;
    } finally {
      store.close();
    }
  },
};
