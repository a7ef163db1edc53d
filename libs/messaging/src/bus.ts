import type { EventMetadata, RecordedEvent } from '@app/event-sourcing';

/**
 * The integration bus port (DESIGN §3). Contexts publish their recorded events to one topic per context,
 * `<context>.events.v1`, keyed by aggregate id; process managers and external consumers subscribe in
 * consumer groups.
 *
 * Guarantees every adapter gives (and the tests check):
 * - at least once: a message is handed to a group until a handler of that group settled it successfully;
 *   a handler must therefore be idempotent (process managers key their work by the event id);
 * - in order per key: the next message for a key is handed over only after the handler's promise for
 *   the previous one settled; different keys may interleave (and do, across partitions);
 * - a handler error is redelivered with bounded, backed-off retries; after the last attempt the
 *   subscription stops and `Subscription.done` rejects with a {@link DeliveryFailedError}. Nothing is
 *   committed for that message, so whoever takes the key over gets it again.
 */
export interface MessageBus {
  /** Resolves once every message is durably accepted (for Kafka: acknowledged by all in-sync replicas). */
  publish(messages: readonly BusMessage[]): Promise<void>;
  /** Resolves once the subscriber is part of its group. */
  subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription>;
  /** Closes every subscription (gracefully) and the producer. */
  close(): Promise<void>;
}

/** The event envelope as it travels on the bus: JSON-safe, so `position` is a decimal string. */
export interface BusEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  schemaVersion: number;
  streamId: string;
  revision: number;
  /** Global position in the source store, as a decimal string (a bigint does not survive JSON). */
  position: string;
  occurredAt: string;
  recordedAt: string;
  data: Data;
  metadata: EventMetadata;
}

export interface BusMessage<E extends BusEvent = BusEvent> {
  /** `<context>.events.v1`, see {@link topicFor}. */
  topic: string;
  /** The aggregate id, never personal data: it is visible to every broker operator and consumer. */
  key: string;
  value: E;
  headers: Readonly<Record<string, string>>;
}

/** A message as a subscriber receives it. */
export interface Delivery<E extends BusEvent = BusEvent> extends BusMessage<E> {
  /** 1 on the first attempt in this subscriber; >1 on a retry after a handler error. */
  attempt: number;
  /** Where the transport holds it (Kafka partition and offset); informative only. */
  partition: number;
  offset: string;
}

export type MessageHandler = (delivery: Delivery) => Promise<void>;

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 5_000 };

export interface SubscribeOptions {
  topics: readonly string[];
  groupId: string;
  /** Where a group with no committed position starts: the oldest retained message, or only new ones. */
  fromBeginning: boolean;
  retry?: Partial<RetryPolicy>;
}

export interface Subscription {
  /** Stops taking new messages, waits for the handler in flight to settle (and commits it), leaves the group. */
  close(): Promise<void>;
  /** Resolves when closed; rejects with {@link DeliveryFailedError} (or a transport error) if it stopped on its own. */
  readonly done: Promise<void>;
}

export class DeliveryFailedError extends Error {
  constructor(
    readonly topic: string,
    readonly key: string,
    readonly eventId: string,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(
      `handler failed ${attempts} times for ${topic} key ${key} event ${eventId}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'DeliveryFailedError';
  }
}

const CONTEXT = /^[a-z][a-z0-9-]*$/;

/** `discharge` → `discharge.events.v1`. */
export const topicFor = (context: string): string => {
  if (!CONTEXT.test(context)) throw new Error(`not a context name: ${JSON.stringify(context)}`);
  return `${context}.events.v1`;
};

/** `dischargeCase-0b1…` → `0b1…`: the stream id without its category. */
export const aggregateIdOf = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(dash + 1);
};

const NHS_NUMBER_SHAPE = /^\d{10}$/;

/** A cheap guard against the obvious mistakes; the real rule is "aggregate ids only". */
export const assertSafeKey = (key: string): void => {
  if (key.length === 0) throw new Error('a bus message needs a key (the aggregate id)');
  if (NHS_NUMBER_SHAPE.test(key.replace(/\s/g, ''))) throw new Error('a bus key must not be an NHS number');
};

export const toBusEvent = (event: RecordedEvent): BusEvent => ({
  id: event.id,
  type: event.type,
  schemaVersion: event.schemaVersion,
  streamId: event.streamId,
  revision: event.revision,
  position: event.position.toString(),
  occurredAt: event.occurredAt,
  recordedAt: event.recordedAt,
  data: event.data,
  metadata: event.metadata,
});

/** What the relay publishes for one recorded event of `context`. */
export const toBusMessage = (context: string, event: RecordedEvent): BusMessage => ({
  topic: topicFor(context),
  key: aggregateIdOf(event.streamId),
  value: toBusEvent(event),
  headers: {
    'event-id': event.id,
    'event-type': event.type,
    'schema-version': String(event.schemaVersion),
    'correlation-id': event.metadata.correlationId,
    'causation-id': event.metadata.causationId,
    'content-type': 'application/json',
  },
});

export const backoffDelay = (policy: RetryPolicy, failedAttempts: number): number =>
  Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failedAttempts - 1));

export const resolveRetryPolicy = (retry: Partial<RetryPolicy> | undefined): RetryPolicy => {
  const policy = { ...defaultRetryPolicy, ...retry };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new Error('retry.maxAttempts must be ≥ 1');
  return policy;
};
