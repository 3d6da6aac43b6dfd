import type { CoreContext } from '../context';
import type { HandlersFor } from '../api/types';
import type { alertMethods } from '../../../shared/api/alerts';
import { listAlerts } from './queries';

export function alertHandlers(ctx: CoreContext): HandlersFor<keyof typeof alertMethods> {
  return {
    alerts: (q) => listAlerts(ctx.store().db, q),
  };
}
