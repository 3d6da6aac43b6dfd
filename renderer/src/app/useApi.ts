import { useCallback, useEffect, useState } from 'react';
import type { ArgsOf, MethodName, ResultOf } from '../../../shared/api';
import { api } from '../api/client';

export type Loadable<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; code: string; message: string };

/**
 * Calls an API method when its arguments change; `reload` calls it again. With `enabled` false
 * the call waits (used to let the request that draws a view go first).
 */
export function useApi<M extends MethodName>(method: M, args: ArgsOf<M>, enabled = true): [Loadable<ResultOf<M>>, () => void] {
  const [state, setState] = useState<Loadable<ResultOf<M>>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(args);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void api.call(method, JSON.parse(key) as ArgsOf<M>).then((r) => {
      if (!live) return;
      setState(r.ok ? { state: 'ready', value: r.value } : { state: 'error', code: r.error.code, message: r.error.message });
    });
    return () => {
      live = false;
    };
  }, [method, key, tick, enabled]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return [state, reload];
}
