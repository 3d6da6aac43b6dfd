import { useEffect, useRef } from 'react';
import type { PushName } from '../../../shared/api';
import { api } from '../api/client';

/**
 * Runs `fn` `ms` after the first of a burst of pushes (any of `names`): an import pushes many
 * times a second, a view refreshes at most once per `ms`. Stops with the component.
 */
export function useThrottledPush(names: readonly PushName[], ms: number, fn: () => void): void {
  const latest = useRef(fn);
  latest.current = fn;
  const key = names.join(',');
  useEffect(() => {
    const ctl = new AbortController();
    let timer: number | undefined;
    const soon = () => {
      if (timer === undefined) timer = window.setTimeout(() => ((timer = undefined), latest.current()), ms);
    };
    for (const name of key.split(',') as PushName[]) api.on(name, soon, ctl.signal);
    return () => {
      ctl.abort();
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [key, ms]);
}
