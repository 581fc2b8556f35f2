import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api';

/** GETs `path` (again when it changes, or on reload()); null path fetches nothing. */
export function useApi<T>(path: string | null, refreshMs?: number) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  // A route this gateway does not serve (404) is not polled again.
  const [gone, setGone] = useState(false);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoading(true);
    api.get<T>(path).then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e instanceof Error ? e.message : String(e));
        if (e instanceof ApiError && e.status === 404) setGone(true);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  useEffect(() => {
    if (!refreshMs || gone) return;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload, gone]);
  return { data, error, loading, reload };
}
