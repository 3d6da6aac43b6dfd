import { existsSync } from 'node:fs';
import type { CliCommand } from '../types';
import { parseFlags, UsageError } from '../args';
import { openStore } from '../../core/store/store';
import { isDatabaseFile } from '../../core/paths';
import { listAlerts } from '../../core/detect/queries';
import { importWithProgress } from './import';
import type { Severity } from '../../../shared/alerts';

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** Keeps one alert on one line whatever the strings hold (a capture is untrusted). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');

export const command: CliCommand = {
  name: 'alerts',
  summary: 'List what the detection rules flagged in a capture or an investigation database',
  usage:
    'tracehound alerts <capture-or-db> [--min-severity low|medium|high|critical] [--json]\n' +
    '  exit status 0 when nothing at or above --min-severity was flagged, 3 when something was',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { 'min-severity': { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('give one capture or database');
    const input = positionals[0]!;
    if (!existsSync(input)) throw new UsageError(`no such file: ${input}`);
    const min = values['min-severity'];
    if (min !== undefined && !SEVERITIES.includes(min as Severity)) throw new UsageError(`--min-severity is one of ${SEVERITIES.join(', ')}`);
    const db = isDatabaseFile(input);
    const store = openStore(db ? input : ':memory:');
    try {
      if (!db) await importWithProgress(store, input, { quiet: true });
      const alerts = listAlerts(store.db, { minSeverity: min as Severity | undefined, limit: 5000 });
      if (values.json) process.stdout.write(JSON.stringify(alerts, null, 2) + '\n');
      else {
        for (const a of alerts) {
          const when = new Date(a.t / 1000).toISOString().replace('T', ' ').slice(0, 23);
          const where = a.cid ? ` [${clean(a.cid.slice(0, 24))}]` : '';
          process.stdout.write(`${when}  ${a.severity.toUpperCase().padEnd(8)} ${a.rule.padEnd(20)} pid ${String(a.pid ?? '?').padEnd(7)}${where} ${clean(a.message)}\n`);
        }
        if (alerts.length === 0) process.stdout.write('no alerts\n');
      }
      return alerts.length > 0 ? 3 : 0;
    } finally {
      store.close();
    }
  },
};
