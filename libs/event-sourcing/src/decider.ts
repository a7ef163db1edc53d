import type { Actor } from './envelope';

/** A fact as a decider states it; the runner puts it in an envelope. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export interface CommandMetadata {
  /** Unique per request; event ids derive from it so that a retried command writes the same ids. */
  commandId: string;
  correlationId: string;
  causationId?: string;
  actor: Actor;
  /** The moment the command was issued (ISO 8601, UTC). Deciders never read the clock. */
  now: string;
}

export interface Command<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}

export interface Decider<State, C extends Command, E extends DomainEvent> {
  initialState: () => State;
  evolve: (state: State, event: E) => State;
  decide: (command: C, state: State) => E | E[];
}

export type RefusalKind = 'conflict' | 'unprocessable' | 'forbidden' | 'not_found';

/**
 * A rule of the domain said no. `code` is stable for clients; the HTTP layer maps `kind` to a status
 * in one place (conflict 409, unprocessable 422, forbidden 403, not_found 404).
 */
export class DomainRefusal extends Error {
  override readonly name: string = 'DomainRefusal';
  constructor(
    readonly code: string,
    message: string,
    readonly kind: RefusalKind = 'unprocessable',
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
