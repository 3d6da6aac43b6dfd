import type { CoreContext } from '../context';
import type { Handlers } from './types';
import { appHandlers } from './app';
import { storeHandlers } from '../store/handlers';
import { sessionHandlers } from '../sessions/handlers';
import { alertHandlers } from '../detect/handlers';
import { policyHandlers } from '../policy/handlers';

/** One handler per method of the contract; each feature contributes its own. */
export function createHandlers(ctx: CoreContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...storeHandlers(ctx),
    ...policyHandlers(ctx),
    ...sessionHandlers(ctx),
    ...alertHandlers(ctx),
  };
}
