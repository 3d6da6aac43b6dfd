/**
 * `tracehound`: the headless face of the product, over the same core as the console.
 */
import { commands } from './commands';
import { UsageError } from './args';
import { VERSION } from '../core/version';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `Tracehound ${VERSION} — investigation console for Linux and Kubernetes nodes`,
    '',
    'Usage: tracehound <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `tracehound <command> --help` for the options of one command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`tracehound: unknown command ${JSON.stringify(name)}\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${cmd.summary}\n\nUsage: ${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`tracehound ${cmd.name}: ${e.message}\nUsage: ${cmd.usage}\n`);
      return 2;
    }
    process.stderr.write(`tracehound ${cmd.name}: ${(e as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`tracehound: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
