import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Tag({
  tone = 'grey',
  children,
}: {
  tone?: 'grey' | 'blue' | 'green' | 'yellow' | 'red' | 'purple';
  children: ReactNode;
}) {
  return <strong className={`tag tag--${tone}`}>{children}</strong>;
}

export function ErrorPanel({ error }: { error: unknown }) {
  const message = error instanceof ApiError ? error.message : 'Something went wrong.';
  return (
    <div className="error-summary" role="alert">
      <h2 className="error-summary__title">Could not load this</h2>
      <p>{message}</p>
    </div>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Refetch; keeps the current data on screen while it runs (no flicker on polling). */
  reload: () => Promise<void>;
}

/** Loads on mount and when `key` changes; stale responses are dropped. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const result = await loader.current();
      if (mine === generation.current) {
        setData(result);
        setError(undefined);
      }
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);
  useEffect(() => {
    setData(undefined);
    void reload();
  }, [key, reload]);
  return { data, error, loading, reload };
}

/** Re-renders every `ms` (for "time since referral"). */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
