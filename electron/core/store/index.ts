/**
 * The investigation database: one SQLite file (WAL) per investigation, versioned schema, and the
 * queries the console uses. Other features read it through these functions (or their own
 * prepared statements on `store.db`, read-only).
 */
export { openStore, Store } from './store';
export { SchemaTooNewError } from './db';
export { SCHEMA_VERSION } from './migrations';
export { eventsPage, eventDetail } from './queries/events';
export { processRoots, processChildren, processAncestors, processSubtree, processSubtreePage, processSearch, processById } from './queries/processes';
export { processDetails } from './queries/details';
export { listContainers } from './queries/containers';
export { overview, databaseInfo } from './queries/overview';
