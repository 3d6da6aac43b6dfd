import type { CliCommand } from '../types';
import { command as serve } from './serve';
import { command as start } from './start';
import { command as record } from './record';
import { command as replay } from './replay';
import { command as importCmd } from './import';
import { command as exportCmd } from './export';
import { command as policy } from './policy';
import { command as audit } from './audit';
import { command as diff } from './diff';
import { command as alerts } from './alerts';

/** Every CLI command, in the order `tracehound --help` lists them. */
export const commands: CliCommand[] = [start, serve, record, replay, importCmd, exportCmd, policy, audit, diff, alerts];
