/**
 * The one way the UI talks to the API: bearer token from the session, JSON in and out, and one error shape.
 * Nothing personal is ever logged here, and request paths carry ids and codes only.
 */

export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/** The API's error body, `{ statusCode, code, message, errors? }`, as a thrown value. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
  }

  /** Field path (e.g. `patient.nhsNumber`) → first message for it. */
  byField(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const error of this.fieldErrors) out[error.field] ??= error.message;
    return out;
  }
}

export interface RequestOptions {
  /** The revision last seen: the command is refused with 409 if the record moved on. */
  ifMatch?: number;
  signal?: AbortSignal;
}

type TokenSource = () => string | null;
type Unauthorised = () => void;

let tokenSource: TokenSource = () => null;
let onUnauthorised: Unauthorised = () => {};

export function configureApi(source: TokenSource, unauthorised: Unauthorised): void {
  tokenSource = source;
  onUnauthorised = unauthorised;
}

/** A fresh key per user action makes a retried POST safe (the server replays the first response). */
export function idempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function request<T>(method: 'GET' | 'POST', path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = tokenSource();
  if (token) headers.authorization = `Bearer ${token}`;
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    headers['idempotency-key'] = idempotencyKey();
  }
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
      signal: options.signal,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'The hub could not be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const problem = (parsed ?? {}) as { code?: unknown; message?: unknown; errors?: unknown };
    const error = new ApiError(
      response.status,
      typeof problem.code === 'string' ? problem.code : `HTTP_${response.status}`,
      typeof problem.message === 'string' ? problem.message : `The request failed (${response.status})`,
      Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [],
    );
    if (response.status === 401) onUnauthorised();
    throw error;
  }
  return parsed as T;
}

export const api = {
  get: <T,>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T,>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body, options),
};

/** Query string from defined values only. Never put personal data here. */
export function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
