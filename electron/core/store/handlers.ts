import type { CoreContext } from '../context';
import { ApiFailure, type HandlersFor } from '../api/types';
import { eventSortsFor, type EventSort, type storeMethods } from '../../../shared/api/store';
import type { Store } from './store';
import { eventDetail, eventsPage } from './queries/events';
import { processAncestors, processChildren, processRoots, processSearch, processSubtreePage } from './queries/processes';
import { processDetails } from './queries/details';
import { listContainers } from './queries/containers';
import { databaseInfo, overview } from './queries/overview';
import { startImportJob, startExportJob, startOpeningImport } from './jobs';
import { missingIndexes } from './indexes';

/** The index each sort reads (time's is never left out). */
const SORT_INDEX: Record<EventSort, string | null> = { time: null, kind: 'events_kind_t', container: 'events_container_t', process: 'events_proc_t' };

/**
 * Serves the core's investigation database and, when the console was opened on
 * a capture, imports it in the background (skipped if this database already holds all of it).
 */
export function storeHandlers(ctx: CoreContext): HandlersFor<keyof typeof storeMethods> {
  const store: Store = ctx.store();
  if (ctx.capturePath) startOpeningImport(ctx, store, ctx.capturePath);

  const found = <T>(v: T | null, what: string): T => {
    if (v === null) throw new ApiFailure('not_found', `${what} not found`);
    return v;
  };
  const db = store.db;
  return {
    overview: () => overview(store),
    eventsPage: (q) => {
      if (q.after !== undefined && q.before !== undefined) throw new ApiFailure('bad_request', 'eventsPage: give after or before, not both');
      const sort = q.sort ?? 'time';
      if (!eventSortsFor(q).includes(sort)) throw new ApiFailure('bad_request', `eventsPage: events cannot be sorted by ${sort} with this filter`);
      // A large import builds these indexes at its end: until then the sort would read everything.
      const index = SORT_INDEX[sort];
      if (index && missingIndexes(db).some((i) => i.name === index))
        throw new ApiFailure('unavailable', `Sorting by ${sort} is possible once the import has built its index (${index}); sort by time until then.`);
      return eventsPage(db, q);
    },
    eventDetail: ({ seq }) => found(eventDetail(db, seq), `event ${seq}`),
    processRoots: (q) => processRoots(db, q),
    processChildren: ({ id, limit }) => processChildren(db, id, limit),
    processAncestors: ({ id }) => processAncestors(db, id),
    processSubtree: (q) => {
      const page = processSubtreePage(db, q);
      if (page === null) throw new ApiFailure('bad_request', `processSubtree: process ${q.after} is not in the subtree of ${q.id}`);
      return page;
    },
    processSearch: ({ text, limit }) => processSearch(db, text, limit),
    processDetails: ({ id, limit }) => found(processDetails(db, id, limit), `process ${id}`),
    containers: (q) => listContainers(db, q),
    importCapture: ({ path, speed }) => ({ job: startImportJob(ctx, store, path, speed) }),
    exportCapture: (q) => ({ job: startExportJob(ctx, store, q) }),
    databaseInfo: () => databaseInfo(store),
  };
}
