import * as m0001 from './0001-initial';
import * as m0002 from './0002-capture-heartbeat';
import * as m0003 from './0003-container-index-partial';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration in order; versions are checked to be 1..n at load. */
export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003];

MIGRATIONS.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
});

export const SCHEMA_VERSION = MIGRATIONS.length;
