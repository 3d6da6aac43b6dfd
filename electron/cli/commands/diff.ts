import type { CliCommand } from '../types';
import { parseFlags, UsageError } from '../args';
import { loadPolicyFile, PolicyParseError, render, semanticDiff, unifiedDiff } from '../../core/policy';
import type { Policy } from '../../../shared/policy';

/** Exit status when the policies differ (1 is kept for errors). */
export const DIFFERENT = 3;

export const command: CliCommand = {
  name: 'diff',
  summary: 'Compare two policy files: rules added, removed, widened or narrowed; --text for a unified diff',
  usage: `tracehound diff <a> <b> [--text] [--json]\n  exit status 0: same policy; ${DIFFERENT}: they differ`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { text: { type: 'boolean' }, json: { type: 'boolean' } });
    if (positionals.length !== 2) throw new UsageError('name two policy files');
    const [aPath, bPath] = positionals as [string, string];
    const load = (p: string): Policy | undefined => {
      try {
        return loadPolicyFile(p);
      } catch (e) {
        if (e instanceof PolicyParseError) {
          process.stderr.write(`${p}: ${e.message}\n`);
          return undefined;
        }
        throw e;
      }
    };
    const a = load(aPath);
    const b = load(bPath);
    if (!a || !b) return 1;
    if (a.type !== b.type) {
      process.stderr.write(`${aPath} is a ${a.type} policy and ${bPath} a ${b.type} policy\n`);
      return 1;
    }
    const d = semanticDiff(a, b);
    if (values.json) process.stdout.write(JSON.stringify(d, null, 2) + '\n');
    else
      for (const e of d)
        process.stdout.write(`${e.change.padEnd(8)} ${e.subject}${e.before || e.after ? ` (${e.before ?? '—'} → ${e.after ?? '—'})` : ''}\n`);
    if (values.text) {
      // both rendered the same way, so only policy differences show
      const at = (await render(a)).text;
      const bt = (await render(b)).text;
      process.stdout.write(unifiedDiff(aPath, at, bPath, bt));
    }
    return d.length ? DIFFERENT : 0;
  },
};
