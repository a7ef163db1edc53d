import {
  AccessDeniedError,
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Filter,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { RecordedEvent } from '../envelope';
import { EventStoreUnavailable } from '../errors';
import type { Subscription, SubscriptionItem } from '../event-store';

type EsdbRecorded = NonNullable<ResolvedEvent['event']>;

export interface ResubscribePolicy {
  /** First wait after a drop; doubles on each failed attempt. */
  initialDelayMs: number;
  /** The back-off never waits longer than this. */
  maxDelayMs: number;
  /** Consecutive attempts that fail before a subscription is confirmed; then the iterator throws EventStoreUnavailable. */
  maxAttempts: number;
}

export interface EventStoreDbSubscriptionOptions {
  client: EventStoreDBClient;
  /** Exclusive start, as the port defines it. */
  after: bigint | undefined;
  filter: Filter | undefined;
  accepts: (event: EsdbRecorded | undefined) => boolean;
  toRecorded: (event: EsdbRecorded) => RecordedEvent;
  /** Newest record in $all of any kind; the fallback caught-up signal for servers that send none. */
  rawHead: () => Promise<Position | undefined>;
  policy: ResubscribePolicy;
  onClose: () => void;
}

const DONE: IteratorResult<SubscriptionItem> = { done: true, value: undefined };
/** Items buffered ahead of the consumer before we stop reading from the client. */
const HIGH_WATER = 256;

const comparePositions = (a: Position, b: Position): number =>
  a.commit === b.commit ? Number(a.prepare > b.prepare) - Number(a.prepare < b.prepare) : a.commit > b.commit ? 1 : -1;

/** An error of ours while handling an event: resubscribing would only meet it again. */
class HandlingFailed extends Error {
  constructor(readonly original: unknown) {
    super('Handling a subscribed event failed');
  }
}

/**
 * `$all` catch-up then live, on the client's catch-up subscription, resumed after any drop.
 *
 * - Order: the client's subscription is read with `for await`, one event at a time, into a bounded queue.
 * - Resume: the client does not resubscribe. After a drop we subscribe again from the last event we
 *   received (ESDB subscription positions are exclusive), so nothing is skipped or repeated.
 * - Caught up: 6.2.1 turns the server's `caught_up` message into a `caughtUp` event on the stream, out of
 *   band of the data. We place our marker after exactly the events the client had pushed by then.
 *   Servers older than 23.10 send none, so we also emulate it: the head of $all is read at subscribe
 *   time, and the marker goes out once an event at or past it arrives (or at once if we start there).
 *   Whichever comes first wins; the marker is sent once per subscription, never again after a resume.
 */
export class EventStoreDbSubscription implements Subscription {
  private readonly queue: SubscriptionItem[] = [];
  private consumerWaiters: Array<() => void> = [];
  private producerWaiter: (() => void) | undefined;
  private sleepWaker: (() => void) | undefined;
  private cursor: Position | undefined;
  /** undefined: not read yet; null: the store was empty. */
  private head: Position | null | undefined;
  private caughtUpSent = false;
  private closed = false;
  private failure: unknown;
  private pump: Promise<void> | undefined;
  private current: AllStreamSubscription | undefined;

  constructor(private readonly options: EventStoreDbSubscriptionOptions) {
    this.cursor = options.after === undefined ? undefined : { commit: options.after, prepare: options.after };
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    return { next: () => this.next(), return: async () => (await this.close(), DONE) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeAll();
    await this.stopCurrent();
    await this.pump;
    this.options.onClose();
  }

  private async next(): Promise<IteratorResult<SubscriptionItem>> {
    this.pump ??= this.run();
    for (;;) {
      if (this.closed) return DONE;
      const item = this.queue.shift();
      if (item) {
        if (this.queue.length < HIGH_WATER / 2) this.wakeProducer();
        return { done: false, value: item };
      }
      if (this.failure !== undefined) {
        const failure = this.failure;
        await this.close();
        throw failure;
      }
      await new Promise<void>((resolve) => this.consumerWaiters.push(resolve));
    }
  }

  private async run(): Promise<void> {
    const { initialDelayMs, maxDelayMs, maxAttempts } = this.options.policy;
    let attempt = 0;
    let lastError: unknown;
    while (!this.closed) {
      let confirmed = false;
      try {
        if (this.head === undefined) {
          this.head = (await this.options.rawHead()) ?? null;
          if (this.head === null || (this.cursor && comparePositions(this.cursor, this.head) >= 0)) this.markCaughtUp();
        }
        confirmed = await this.consumeOnce();
        lastError = undefined;
      } catch (error) {
        if (this.closed) break;
        if (error instanceof HandlingFailed) return this.fail(error.original);
        if (error instanceof AccessDeniedError) return this.fail(error);
        lastError = error;
      }
      if (this.closed) break;
      // A confirmed subscription that later drops starts the back-off afresh.
      attempt = confirmed ? 1 : attempt + 1;
      if (attempt > maxAttempts) {
        const reason = lastError instanceof Error ? lastError.message : 'the subscription kept ending';
        return this.fail(
          new EventStoreUnavailable(`Could not resubscribe to $all after ${maxAttempts} attempts: ${reason}`, {
            cause: lastError,
          }),
        );
      }
      await this.sleep(Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1)));
    }
  }

  /** One client subscription, from the cursor, until it ends, fails or we close. True once confirmed. */
  private async consumeOnce(): Promise<boolean> {
    if (this.closed) return false;
    const subscription = this.options.client.subscribeToAll({ fromPosition: this.cursor ?? START, filter: this.options.filter });
    this.current = subscription;
    let active = true;
    let confirmed = false;
    let received = 0;
    let caughtUpAt: number | undefined;
    // An error emitted after the iterator has let go must not become an uncaught exception.
    subscription.on('error', () => undefined);
    subscription.on('confirmation', () => (confirmed = true));
    subscription.on('caughtUp', () => {
      if (!active || this.caughtUpSent) return;
      confirmed = true;
      // Events the client pushed before the caught_up message and we have not yet read come first.
      const after = received + subscription.readableLength;
      if (after === received) this.markCaughtUp();
      else caughtUpAt = after;
    });
    try {
      for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
        received += 1;
        confirmed = true;
        const event = resolved.event;
        if (event?.position) {
          if (this.options.accepts(event)) {
            let recorded: RecordedEvent;
            try {
              recorded = this.options.toRecorded(event);
            } catch (error) {
              throw new HandlingFailed(error);
            }
            this.queue.push({ kind: 'event', event: recorded });
            this.wakeConsumers();
          }
          // Only now is it safe to resume after this event: it is queued or deliberately skipped.
          this.cursor = event.position;
          if (this.head && comparePositions(event.position, this.head) >= 0) this.markCaughtUp();
        }
        if (caughtUpAt !== undefined && received >= caughtUpAt) {
          caughtUpAt = undefined;
          this.markCaughtUp();
        }
        if (this.closed) break;
        await this.roomInQueue();
        if (this.closed) break;
      }
    } finally {
      active = false;
      this.current = undefined;
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    }
    return confirmed;
  }

  private markCaughtUp(): void {
    if (this.caughtUpSent) return;
    this.caughtUpSent = true;
    const position = this.cursor?.commit ?? (this.head ? this.head.commit : undefined);
    this.queue.push({ kind: 'caughtUp', position });
    this.wakeConsumers();
  }

  private fail(error: unknown): void {
    this.failure = error;
    this.wakeConsumers();
  }

  private roomInQueue(): Promise<void> {
    if (this.queue.length < HIGH_WATER) return Promise.resolve();
    return new Promise((resolve) => (this.producerWaiter = resolve));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.sleepWaker = done;
    });
  }

  private async stopCurrent(): Promise<void> {
    const subscription = this.current;
    if (!subscription) return;
    await subscription.unsubscribe().catch(() => undefined);
    subscription.destroy();
  }

  private wakeConsumers(): void {
    const waiters = this.consumerWaiters;
    this.consumerWaiters = [];
    for (const wake of waiters) wake();
  }

  private wakeProducer(): void {
    const wake = this.producerWaiter;
    this.producerWaiter = undefined;
    wake?.();
  }

  private wakeAll(): void {
    this.wakeConsumers();
    this.wakeProducer();
    this.sleepWaker?.();
    this.sleepWaker = undefined;
  }
}
