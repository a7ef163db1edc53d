import type { CheckpointStore, EventStore, RecordedEvent, Subscription } from '@app/event-sourcing';
import { backoffDelay, resolveRetryPolicy, toBusMessage, type MessageBus, type RetryPolicy } from './bus';

export interface RelayOptions {
  /** Checkpoint name; one per relay. */
  name: string;
  /** The context whose topic it publishes to: `<context>.events.v1`. */
  context: string;
  /** The event-store categories that belong to the context. */
  categories: readonly string[];
  store: EventStore;
  checkpoints: CheckpointStore;
  bus: MessageBus;
  /** Most events one publish carries. Default 500. */
  maxBatch?: number;
  /**
   * Awaited after a publish and before the checkpoint moves. For a bus that forgets on restart (the
   * in-process one) pass its `idle()`, so the checkpoint moves only once consumers have handled the batch.
   */
  beforeCheckpoint?: () => Promise<void>;
  retry?: Partial<RetryPolicy>;
  onError?: (error: unknown) => void;
}

/**
 * Publishes a context's events from the store to the bus, in global order, at least once. The checkpoint
 * moves only after the broker acknowledged (and, where asked, consumers settled), so a crash re-publishes
 * rather than loses.
 */
export class Relay {
  private subscription: Subscription | undefined;
  private buffer: RecordedEvent[] = [];
  private flushing: Promise<void> | undefined;
  private consuming: Promise<void> | undefined;
  private stopped = false;
  private published = 0;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: RelayOptions) {
    this.retry = resolveRetryPolicy({ maxAttempts: Number.MAX_SAFE_INTEGER, ...options.retry });
  }

  get publishedCount(): number {
    return this.published;
  }

  async start(): Promise<void> {
    const after = await this.options.checkpoints.load(this.options.name);
    this.subscription = this.options.store.subscribeToAll({ after, categories: this.options.categories });
    this.consuming = this.consume(this.subscription);
  }

  /** Stops reading, publishes what was already read, and stores the checkpoint. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
    await this.consuming;
    await this.flushing;
  }

  /** Resolves when everything read so far is published and checkpointed. */
  async drained(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async consume(subscription: Subscription) {
    for await (const item of subscription) {
      if (item.kind !== 'event') continue;
      this.buffer.push(item.event);
      this.kick();
      // Back-pressure: do not read far ahead of a slow broker.
      if (this.buffer.length >= (this.options.maxBatch ?? 500) * 4) await this.flushing;
    }
  }

  private kick() {
    if (!this.flushing) {
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.buffer.length > 0) this.kick();
      });
    }
  }

  private async flush() {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.options.maxBatch ?? 500);
      const messages = batch.map((event) => toBusMessage(this.options.context, event));
      for (let attempt = 1; ; attempt++) {
        try {
          await this.options.bus.publish(messages);
          await this.options.beforeCheckpoint?.();
          await this.options.checkpoints.store(this.options.name, batch[batch.length - 1].position);
          break;
        } catch (error) {
          this.options.onError?.(error);
          if (this.stopped && attempt >= 3) throw error;
          await new Promise((resolve) => setTimeout(resolve, backoffDelay(this.retry, attempt)));
        }
      }
      this.buffer.splice(0, batch.length);
      this.published += batch.length;
    }
  }
}
