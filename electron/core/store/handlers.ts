import type { CoreContext } from '../context';
import { ApiFailure, type HandlersFor } from '../api/types';
import type { storeMethods } from '../../../shared/api/store';

export function storeHandlers(_ctx: CoreContext): HandlersFor<keyof typeof storeMethods> {
  const missing = (): never => {
    throw new ApiFailure('unavailable', 'the event store is not built yet');
  };
  return { overview: missing, eventsPage: missing, importCapture: missing };
}
