import type { EventStore, RecordedEvent, Subscription } from '@app/event-sourcing';
import type { Projection, SnapshotStore } from './projection';

export interface LiveProjectionOptions {
  store: EventStore;
  snapshots: SnapshotStore;
  /** Take a snapshot after this many events. Default 10,000. */
  snapshotEvery?: number;
  /** How many snapshots to keep for as-of queries. Default 48. */
  keepSnapshots?: number;
  pageSize?: number;
}

export type ChangeListener<View> = (view: View, event: RecordedEvent) => void;

/**
 * Keeps one projection current: starts from its newest snapshot, catches up from the store's $all,
 * then follows it live. Answers as-of queries by replaying from the nearest earlier snapshot.
 */
export class LiveProjection<View> {
  private view: View;
  private position: bigint | undefined;
  private knownAt: string | undefined;
  private sinceSnapshot = 0;
  private subscription: Subscription | undefined;
  private consuming: Promise<void> | undefined;
  private readonly listeners = new Set<ChangeListener<View>>();
  private readyResolve!: () => void;
  readonly ready: Promise<void> = new Promise((resolve) => (this.readyResolve = resolve));
  private isReady = false;

  constructor(
    readonly projection: Projection<View>,
    private readonly options: LiveProjectionOptions,
  ) {
    this.view = projection.initial();
  }

  async start(): Promise<void> {
    const snapshot = await this.options.snapshots.latest(this.projection.name, this.projection.version);
    if (snapshot) {
      this.view = this.restore(snapshot.state);
      this.position = snapshot.position;
      this.knownAt = snapshot.knownAt;
    }
    this.subscription = this.options.store.subscribeToAll({ after: this.position, categories: this.projection.categories });
    this.consuming = this.consume(this.subscription);
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.consuming;
    if (this.sinceSnapshot > 0) await this.snapshot();
  }

  current(): { view: View; position: bigint | undefined; knownAt: string | undefined; ready: boolean } {
    return { view: this.view, position: this.position, knownAt: this.knownAt, ready: this.isReady };
  }

  onChange(listener: ChangeListener<View>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the view includes the event at `position` (e.g. the one a command just wrote). */
  async caughtUpTo(position: bigint, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.position ?? 0n) < position) {
      if (Date.now() > deadline) throw new Error(`${this.projection.name} did not reach position ${position}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  async snapshot(): Promise<void> {
    if (this.position === undefined || this.knownAt === undefined) return;
    const state = this.projection.toSnapshot ? this.projection.toSnapshot(this.view) : this.view;
    await this.options.snapshots.save({
      projection: this.projection.name,
      version: this.projection.version,
      position: this.position,
      knownAt: this.knownAt,
      state: JSON.parse(JSON.stringify(state)),
    });
    await this.options.snapshots.prune(this.projection.name, this.projection.version, this.options.keepSnapshots ?? 48);
    this.sinceSnapshot = 0;
  }

  /** What the hub knew at `knownAt`: the nearest earlier snapshot, plus the events recorded up to then. */
  async asOf(knownAt: string): Promise<{ view: View; position: bigint | undefined }> {
    const snapshot = await this.options.snapshots.latest(this.projection.name, this.projection.version, knownAt);
    let view = snapshot ? this.restore(snapshot.state) : this.projection.initial();
    let position = snapshot?.position;
    for (;;) {
      const page = await this.options.store.readAll({
        after: position,
        categories: this.projection.categories,
        maxCount: this.options.pageSize ?? 2000,
      });
      for (const event of page) {
        if (event.recordedAt > knownAt) return { view, position };
        view = this.projection.evolve(view, event);
        position = event.position;
      }
      if (page.length === 0) return { view, position };
    }
  }

  /** The view folded from the very first event, ignoring snapshots: to check that a rebuild equals live. */
  async rebuild(): Promise<{ view: View; position: bigint | undefined }> {
    let view = this.projection.initial();
    let position: bigint | undefined;
    for (;;) {
      const page = await this.options.store.readAll({
        after: position,
        categories: this.projection.categories,
        maxCount: this.options.pageSize ?? 2000,
      });
      if (page.length === 0) return { view, position };
      for (const event of page) view = this.projection.evolve(view, event);
      position = page[page.length - 1].position;
    }
  }

  private restore(state: unknown): View {
    return this.projection.fromSnapshot ? this.projection.fromSnapshot(state) : (state as View);
  }

  private async consume(subscription: Subscription) {
    for await (const item of subscription) {
      if (item.kind === 'caughtUp') {
        this.isReady = true;
        this.readyResolve();
        continue;
      }
      const event = item.event;
      this.view = this.projection.evolve(this.view, event);
      this.position = event.position;
      this.knownAt = event.recordedAt;
      for (const listener of this.listeners) listener(this.view, event);
      if (++this.sinceSnapshot >= (this.options.snapshotEvery ?? 10_000)) await this.snapshot();
    }
  }
}
