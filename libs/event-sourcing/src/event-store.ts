import type { NewEvent, RecordedEvent } from './envelope';

/**
 * - `no_stream`: the stream must not exist yet.
 * - `stream_exists`: it must exist, at any revision.
 * - `any`: no check. Idempotency of a retried append is then best effort (see README).
 * - a number: the stream's last revision must be exactly this.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
  /** Record this key with the append, atomically, so that a retried request finds the first outcome. */
  idempotency?: IdempotencyClaim;
}

export interface IdempotencyClaim {
  key: string;
  /** A digest of the request, so that reusing a key for a different request is caught. */
  fingerprint: string;
}

/** What an append made under an idempotency key: enough to answer a retry exactly as the first time. */
export interface IdempotentAppend extends IdempotencyClaim {
  streamId: string;
  firstRevision: number;
  result: AppendResult;
}

export interface AppendResult {
  /** Revision of the last event now in the stream: pass it as the next expectedRevision. */
  nextExpectedRevision: number;
  /** Global position of the last event appended. */
  position: bigint;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: only events strictly after this position. Omit to read from the start. */
  after?: bigint;
  maxCount?: number;
  /** Only events whose stream is in one of these categories (`dischargeCase` for `dischargeCase-…`). */
  categories?: readonly string[];
}

export interface SubscribeToAllOptions {
  /** Exclusive, like a stored checkpoint: the subscription delivers what comes after it. */
  after?: bigint;
  categories?: readonly string[];
}

/**
 * What a subscription yields: every event after the starting point in global order,
 * and, once, a `caughtUp` marker when it reaches the head and goes live.
 */
export type SubscriptionItem = { kind: 'event'; event: RecordedEvent } | { kind: 'caughtUp'; position: bigint | undefined };

export interface Subscription extends AsyncIterable<SubscriptionItem> {
  close(): Promise<void>;
}

/** The event store port. Every adapter passes the same contract suite. */
export interface EventStore {
  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Throws StreamNotFound for a stream that has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** The position of the newest event, or undefined for an empty store. */
  headPosition(): Promise<bigint | undefined>;
  /**
   * Adapters that can store idempotency keys in the same transaction as the events implement this.
   * Others fall back to idempotent re-append of deterministic event ids.
   */
  findIdempotentAppend?(key: string): Promise<IdempotentAppend | undefined>;
  close(): Promise<void>;
}
