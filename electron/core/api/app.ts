import type { CoreContext } from '../context';
import type { HandlersFor } from './types';
import { listInvestigations } from '../investigations';
import type { appMethods } from '../../../shared/api/app';

export function appHandlers(ctx: CoreContext): HandlersFor<keyof typeof appMethods> {
  return {
    appInfo: () => ({
      product: 'Tracehound',
      version: ctx.version,
      transport: ctx.transport,
      database: ctx.databasePath,
      capture: ctx.capturePath,
    }),
    cancelJob: ({ job }) => ({ cancelled: ctx.jobs.cancel(job) }),
    jobs: () => ctx.jobs.list(),
    recentInvestigations: () => listInvestigations(ctx.databasePath),
    openInvestigation: async ({ path }) => ({ database: await ctx.switchInvestigation(path) }),
  };
}
