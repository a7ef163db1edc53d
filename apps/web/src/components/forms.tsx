import { useEffect, useRef, type ButtonHTMLAttributes, type ReactNode } from 'react';

/** NHS.UK-style form pieces: a label, an optional hint, the error in red above the control. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  children: ReactNode;
}) {
  return (
    <div className={`form-group${error ? ' form-group--error' : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <p className="error-message" id={`${id}-error`} role="alert">
          <span className="visually-hidden">Error:</span> {error}
        </p>
      )}
      {children}
    </div>
  );
}

/** aria-describedby for a control inside <Field>. */
export const describedBy = (id: string, { hint, error }: { hint?: unknown; error?: unknown }) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export interface SummaryItem {
  field: string;
  message: string;
}

/** The list of problems at the top of a form; each links to its field, and it takes focus when it appears. */
export function ErrorSummary({
  title = 'There is a problem',
  items,
  message,
}: {
  title?: string;
  items: SummaryItem[];
  message?: string | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const visible = items.length > 0 || !!message;
  useEffect(() => {
    if (visible) ref.current?.focus();
  }, [visible, items.length, message]);
  if (!visible) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 className="error-summary__title" id="error-summary-title">
        {title}
      </h2>
      {message && <p>{message}</p>}
      {items.length > 0 && (
        <ul>
          {items.map((item) => (
            <li key={`${item.field}:${item.message}`}>
              <a
                href={`#${item.field}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(item.field)?.focus();
                }}
              >
                {item.message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A button that shows progress while its action runs and cannot be pressed twice. */
export function Button({
  busy = false,
  busyLabel,
  variant = 'primary',
  children,
  disabled,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  busy?: boolean;
  busyLabel?: string;
  variant?: 'primary' | 'secondary' | 'warning' | 'link';
}) {
  return (
    <button
      type="button"
      className={`button button--${variant}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {busy ? (busyLabel ?? children) : children}
    </button>
  );
}

export function Select({
  id,
  value,
  onChange,
  options,
  placeholder,
  ...rest
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly (readonly [string, string])[];
  placeholder?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
  disabled?: boolean;
}) {
  return (
    <select id={id} name={id} className="select" value={value} onChange={(e) => onChange(e.target.value)} {...rest}>
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {options.map(([code, label]) => (
        <option key={code} value={code}>
          {label}
        </option>
      ))}
    </select>
  );
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}…
    </p>
  );
}
