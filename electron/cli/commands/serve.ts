import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { CliCommand } from '../types';
import { intFlag, parseFlags, UsageError } from '../args';
import { openBrowserConsole, untilSignal } from '../open-console';

/** Opens a URL in the desktop's browser when there is a desktop; never fails the command. */
export function openInBrowser(url: string): void {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const opener = ['/usr/bin/xdg-open', '/usr/bin/sensible-browser'].find((p) => existsSync(p));
  if (!opener) return;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

export const command: CliCommand = {
  name: 'serve',
  summary: 'Open the console in browser mode on 127.0.0.1 (token-protected)',
  usage: 'tracehound serve [capture-or-db] [--db file] [--port N] [--no-open]',
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      db: { type: 'string' },
      port: { type: 'string' },
      'no-open': { type: 'boolean' },
    });
    if (positionals.length > 1) throw new UsageError('at most one capture or database');
    const input = positionals[0] ?? null;
    if (input && !existsSync(input)) throw new UsageError(`no such file: ${input}`);
    const { core, server } = await openBrowserConsole({ input, db: values.db, port: intFlag(values.port, 'port', 0, 65535) });
    process.stdout.write(`Tracehound console: ${server.url}\n`);
    process.stdout.write(`Database: ${core.ctx.databasePath}\n`);
    if (!values['no-open']) openInBrowser(server.url);
    return untilSignal(async () => {
      await server.close();
      await core.dispose();
    });
  },
};
