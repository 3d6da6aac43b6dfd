import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CliCommand } from '../types';
import { parseFlags, UsageError } from '../args';
import { packageRoot, sampleCapture } from '../../core/paths';
import { command as serve } from './serve';

/** Electron's binary path when the optional `electron` package installed it, else null. */
function electronBinary(): string | null {
  try {
    // The optional electron package records its binary in path.txt; the package is absent where
    // the binary could not be downloaded. Resolved by path: the CLI never loads Electron itself.
    const dir = dirname(require.resolve('electron/package.json', { paths: [packageRoot()] }));
    const p = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

export const command: CliCommand = {
  name: 'start',
  summary: 'Open the console: the desktop window where Electron is installed, else browser mode (default: the bundled sample capture)',
  usage: 'tracehound start [capture-or-db] [--browser] [--no-open]',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { browser: { type: 'boolean' }, 'no-open': { type: 'boolean' }, port: { type: 'string' } });
    if (positionals.length > 1) throw new UsageError('at most one capture or database');
    const input = positionals[0] ?? sampleCapture();
    const electron = values.browser ? null : electronBinary();
    if (electron && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
      const main = join(packageRoot(), 'dist', 'electron', 'main.cjs');
      // better-sqlite3 built for Electron's ABI, beside the Node build (see native-for-electron.mjs).
      const binding = execFileSync(process.execPath, [join(packageRoot(), 'electron', 'native-for-electron.mjs')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      })
        .trim()
        .split('\n')
        .pop();
      const env = { ...process.env, ...(binding && existsSync(binding) ? { TRACEHOUND_SQLITE_BINDING: binding } : {}) };
      const child = spawn(electron, [main, ...(input ? [input] : [])], { stdio: 'inherit', env });
      return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    }
    if (!electron) process.stdout.write('Electron is not installed here: opening the console in browser mode.\n');
    const rest = [...(input ? [input] : []), ...(values['no-open'] ? ['--no-open'] : []), ...(values.port ? ['--port', values.port] : [])];
    return serve.run(rest);
  },
};
