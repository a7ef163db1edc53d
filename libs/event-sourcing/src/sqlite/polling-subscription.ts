import type { EventEmitter } from 'node:events';
import type { RecordedEvent } from '../envelope';
import type { Subscription, SubscriptionItem } from '../event-store';

interface PollingSubscriptionOptions {
  after: bigint | undefined;
  readPage: (after: bigint | undefined) => RecordedEvent[];
  head: () => bigint | undefined;
  /** Emits 'appended' after each commit in this process; the poll covers writers in other processes. */
  appended: EventEmitter;
  pollIntervalMs: number;
  onClose: () => void;
}

/**
 * Catch-up then live, from one cursor: the same query serves both phases, so there is no seam
 * where an event could be skipped or delivered twice.
 */
export class PollingSubscription implements Subscription {
  private cursor: bigint | undefined;
  private buffer: RecordedEvent[] = [];
  private caughtUpSent = false;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly onAppended = () => this.wake?.();

  constructor(private readonly options: PollingSubscriptionOptions) {
    this.cursor = options.after;
    options.appended.on('appended', this.onAppended);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.appended.off('appended', this.onAppended);
    this.wake?.();
    this.options.onClose();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
    return { next: () => this.next(), return: async () => (await this.close(), { done: true, value: undefined }) };
  }

  private async next(): Promise<IteratorResult<SubscriptionItem>> {
    while (!this.closed) {
      if (this.buffer.length === 0) this.buffer = this.options.readPage(this.cursor);
      const event = this.buffer.shift();
      if (event) {
        this.cursor = event.position;
        return { done: false, value: { kind: 'event', event } };
      }
      if (!this.caughtUpSent) {
        this.caughtUpSent = true;
        return { done: false, value: { kind: 'caughtUp', position: this.cursor ?? this.options.head() } };
      }
      await this.waitForAppend();
    }
    return { done: true, value: undefined };
  }

  private waitForAppend(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs);
      timer.unref();
      this.wake = done;
    });
  }
}
