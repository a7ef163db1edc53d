export type Role = 'ward' | 'hub' | 'provider' | 'leader' | 'admin' | 'system';

/** Who did it. `organisation` is an ODS code or provider id, used for scoping. */
export interface Actor {
  userId: string;
  role: Role;
  organisation: string;
}

export interface EventMetadata {
  correlationId: string;
  causationId: string;
  actor: Actor;
}

/** An event as a decider produces it, before the store gives it a place. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  /** A UUID; re-appending the same ids at the same expected revision is a no-op. */
  id: string;
  type: Type;
  /** Defaults to 1. Older versions are upcast on read. */
  schemaVersion?: number;
  data: Data;
  metadata: EventMetadata;
  /** When the fact happened (ISO 8601, UTC), taken from the command, never the store's clock. */
  occurredAt: string;
}

/** An event as the store returns it. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  schemaVersion: number;
  streamId: string;
  /** 0-based place in its stream. */
  revision: number;
  /** Place in the global order ($all). Strictly increasing; not necessarily contiguous. */
  position: bigint;
  occurredAt: string;
  /** When the store committed it (ISO 8601, UTC). */
  recordedAt: string;
  data: Data;
  metadata: EventMetadata;
}

/** `dischargeCase-0b1…` → `dischargeCase`: everything before the first dash, as EventStoreDB's $ce does. */
export const categoryOf = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
};

export const streamIdOf = (category: string, id: string): string => `${category}-${id}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
