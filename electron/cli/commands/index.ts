import type { CliCommand } from '../types';
import { command as serve } from './serve';
import { command as start } from './start';

/** Every CLI command, in the order `tracehound --help` lists them. */
export const commands: CliCommand[] = [start, serve];
