import { useState } from 'react';
import { ApiError } from '../api/client';

export interface Action {
  /** Which item is busy (e.g. a bed id), or null. */
  busy: string | null;
  error: ApiError | null;
  /** The item the error belongs to, so it shows beside that item. */
  errorFor: string | null;
  run: (key: string, step: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
}

/** One action at a time on a list screen: its progress and its error, kept with the item it was about. */
export function useAction(after?: () => Promise<unknown> | void): Action {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [errorFor, setErrorFor] = useState<string | null>(null);
  const run = async (key: string, step: () => Promise<unknown>) => {
    setBusy(key);
    setError(null);
    setErrorFor(null);
    try {
      await step();
      await after?.();
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'ERROR', 'Something went wrong. Try again.'));
      setErrorFor(key);
      await Promise.resolve(after?.()).catch(() => undefined);
      return false;
    } finally {
      setBusy(null);
    }
  };
  return {
    busy,
    error,
    errorFor,
    run,
    clear: () => {
      setError(null);
      setErrorFor(null);
    },
  };
}

/** An action's error beside the item it was about. */
export function ActionError({ action, item }: { action: Action; item: string }) {
  if (!action.error || action.errorFor !== item) return null;
  return (
    <p className="error-message" role="alert">
      <span className="visually-hidden">Error:</span> {action.error.message}
    </p>
  );
}
