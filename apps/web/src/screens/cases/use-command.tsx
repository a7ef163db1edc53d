import { useState } from 'react';
import { ApiError } from '../../api/client';
import { endpoints } from '../../api/endpoints';

export interface Command {
  busy: boolean;
  error: ApiError | null;
  fieldError: (field: string) => string | undefined;
  /** Runs the steps in order with If-Match on the revision seen; true when all succeeded. */
  run: (...steps: { action: string; body?: unknown }[]) => Promise<boolean>;
  clear: () => void;
}

/** One case command with its progress and error, refreshing the case afterwards (also after a conflict). */
export function useCommand(caseId: string, revision: number, refresh: () => Promise<void>): Command {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run: Command['run'] = async (...steps) => {
    setBusy(true);
    setError(null);
    let seen: number | undefined = revision;
    try {
      for (const step of steps) {
        const result = await endpoints.command(caseId, step.action, step.body ?? {}, seen);
        seen = result.revision ?? undefined;
      }
      await refresh();
      return true;
    } catch (e) {
      const apiError = e instanceof ApiError ? e : new ApiError(0, 'ERROR', 'Something went wrong');
      if (apiError.code === 'REVISION_CONFLICT') {
        setError(
          new ApiError(
            409,
            apiError.code,
            'Someone else changed this case just now. It has been reloaded: check it and try again.',
          ),
        );
      } else setError(apiError);
      await refresh().catch(() => undefined);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (field: string) => error?.fieldErrors.find((f) => f.field === field)?.message;
  return { busy, error, fieldError, run, clear: () => setError(null) };
}

/** The command's non-field error, shown above the form. */
export function CommandProblem({ command }: { command: Command }) {
  if (!command.error || command.error.fieldErrors.length > 0) return null;
  return (
    <p className="error-message" role="alert">
      <span className="visually-hidden">Error:</span> {command.error.message}
    </p>
  );
}
