import {
  ANY,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type JSONType,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, NewEvent, RecordedEvent } from '../envelope';
import { EventStoreUnavailable, StreamNotFound, WrongExpectedRevision } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store';
import { noUpcasting, type Upcasters } from '../upcasting';
import { assertValidAppend } from '../validation';
import { EventStoreDbSubscription, type ResubscribePolicy } from './eventstoredb-subscription';

export interface EventStoreDbEventStoreOptions {
  upcasters?: Upcasters;
  /** How a dropped subscription is re-established. */
  resubscribe?: Partial<ResubscribePolicy>;
  /** Events per `$all` page while filtering client-side. Default 512. */
  readPageSize?: number;
}

/** What we keep in the ESDB event's metadata; `data` holds the event's data as JSON. */
interface StoredMetadata extends EventMetadata {
  schemaVersion: number;
  occurredAt: string;
}

type EsdbRecorded = NonNullable<ResolvedEvent['event']>;

const DEFAULT_RESUBSCRIBE: ResubscribePolicy = { initialDelayMs: 100, maxDelayMs: 5_000, maxAttempts: 10 };

/** An int64 the server sends as "no value" (-1 as ulong) is no position. */
const NO_POSITION = 1n << 63n;

const toEsdbExpected = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return BigInt(expected);
  }
};

/** System streams and events ($-prefixed) and non-JSON events are not ours: no reader ever sees them. */
export const isForeignEsdbEvent = (event: EsdbRecorded | undefined): boolean =>
  !event || !event.isJson || event.streamId.startsWith('$') || event.type.startsWith('$');

/** The commit position is our global position; a stream read may carry only the prepare position. */
export const positionOf = (event: EsdbRecorded): bigint | undefined => {
  const { position } = event;
  if (!position) return undefined;
  if (position.commit >= 0n && position.commit < NO_POSITION) return position.commit;
  return position.prepare >= 0n && position.prepare < NO_POSITION ? position.prepare : undefined;
};

/** Orders two $all positions; commit first, as the server does. */
export const comparePositions = (a: Position, b: Position): number =>
  a.commit === b.commit ? Number(a.prepare > b.prepare) - Number(a.prepare < b.prepare) : a.commit > b.commit ? 1 : -1;

/** Connection-level failures become our EventStoreUnavailable; everything else passes through. */
export const isUnavailable = (error: unknown): boolean =>
  error instanceof UnavailableError ||
  error instanceof DeadlineExceededError ||
  error instanceof CancelledError ||
  (typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 14);

export const toUnavailable = (error: unknown): EventStoreUnavailable =>
  new EventStoreUnavailable(`EventStoreDB is unavailable: ${(error as Error)?.message ?? String(error)}`, { cause: error });

export class EventStoreDbEventStore implements EventStore {
  readonly client: EventStoreDBClient;
  private readonly upcasters: Upcasters;
  private readonly resubscribe: ResubscribePolicy;
  private readonly readPageSize: number;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  /** `close()` disposes the client, whether it was given or made from the connection string. */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}) {
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.upcasters = options.upcasters ?? noUpcasting;
    this.resubscribe = { ...DEFAULT_RESUBSCRIBE, ...options.resubscribe };
    this.readPageSize = options.readPageSize ?? 512;
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision;
    assertValidAppend(streamId, events, expected);
    const proposed = events.map((event) => {
      const metadata: StoredMetadata = {
        ...event.metadata,
        schemaVersion: event.schemaVersion ?? 1,
        occurredAt: event.occurredAt,
      };
      return jsonEvent({
        id: event.id,
        type: event.type,
        // The client serialises any JSON value; its type only admits objects, arrays and strings.
        data: event.data as JSONType,
        metadata: metadata as unknown as JSONType,
      });
    });
    let result;
    try {
      result = await this.client.appendToStream(streamId, proposed, { expectedRevision: toEsdbExpected(expected) });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedRevision(
          streamId,
          expected,
          actual === 'no_stream' || actual === undefined ? 'no_stream' : Number(actual),
        );
      }
      throw this.translate(error);
    }
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    let position = result.position?.commit;
    if (position === undefined || position >= NO_POSITION) {
      // An idempotent retry is acknowledged without a position: read the last event of the batch back.
      const [last] = await this.readStream(streamId, { fromRevision: nextExpectedRevision, maxCount: 1 });
      position = last?.position;
      if (position === undefined) throw new Error(`Append to ${streamId} was acknowledged but its position is unknown`);
    }
    return { nextExpectedRevision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        if (isForeignEsdbEvent(resolved.event)) continue;
        events.push(this.toRecorded(resolved.event!));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new StreamNotFound(streamId);
      throw this.translate(error);
    }
    return events;
  }

  /**
   * The client's readAll (6.2.1) takes no filter, so categories and foreign events are filtered here,
   * page by page until maxCount of ours are found. ESDB reads from a position inclusively; `after` is
   * exclusive, so anything at or before the cursor is skipped.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const prefixes = options.categories?.length ? options.categories.map((c) => `${c}-`) : undefined;
    const result: RecordedEvent[] = [];
    let cursor: Position | undefined =
      options.after === undefined ? undefined : { commit: options.after, prepare: options.after };
    try {
      while (result.length < maxCount) {
        let seen = 0;
        // Each page is drained to its end: leaving a read half-consumed would leave its call open.
        for await (const resolved of this.client.readAll({
          direction: FORWARDS,
          fromPosition: cursor ?? START,
          maxCount: this.readPageSize,
        }) as AsyncIterable<AllStreamResolvedEvent>) {
          seen += 1;
          const event = resolved.event;
          if (!event?.position || result.length >= maxCount) continue;
          if (cursor && comparePositions(event.position, cursor) <= 0) continue;
          cursor = event.position;
          if (isForeignEsdbEvent(event)) continue;
          if (prefixes && !prefixes.some((prefix) => event.streamId.startsWith(prefix))) continue;
          result.push(this.toRecorded(event));
        }
        if (seen < this.readPageSize) break;
      }
    } catch (error) {
      throw this.translate(error);
    }
    return result;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.assertOpen();
    const prefixes = options.categories?.length ? options.categories.map((c) => `${c}-`) : undefined;
    const subscription = new EventStoreDbSubscription({
      client: this.client,
      after: options.after,
      // The server filters by stream prefix; we still check each event, since a filter is advisory to us.
      filter: prefixes ? streamNameFilter({ prefixes }) : undefined,
      accepts: (event) =>
        !isForeignEsdbEvent(event) && (!prefixes || prefixes.some((prefix) => event!.streamId.startsWith(prefix))),
      toRecorded: (event) => this.toRecorded(event),
      rawHead: () => this.rawHead(),
      policy: this.resubscribe,
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The newest event of ours: $all read backwards, skipping system and non-JSON events. */
  async headPosition(): Promise<bigint | undefined> {
    this.assertOpen();
    try {
      let from: Position | typeof END = END;
      for (;;) {
        const page: EsdbRecorded[] = [];
        for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: 32 })) {
          if (resolved.event?.position) page.push(resolved.event);
        }
        const ours = page.find((event) => !isForeignEsdbEvent(event));
        if (ours) return positionOf(ours);
        if (page.length < 32) return undefined;
        from = page[page.length - 1].position!;
      }
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** The position of the newest record of any kind, system events included: where catch-up ends. */
  private async rawHead(): Promise<Position | undefined> {
    let head: Position | undefined;
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      head = resolved.event?.position ?? head;
    }
    return head;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }

  private translate(error: unknown): unknown {
    return isUnavailable(error) ? toUnavailable(error) : error;
  }

  private toRecorded(event: EsdbRecorded): RecordedEvent {
    const stored = (event.metadata ?? {}) as Partial<StoredMetadata>;
    const { schemaVersion, occurredAt, ...metadata } = stored;
    return this.upcasters.upcast({
      id: event.id,
      type: event.type,
      schemaVersion: schemaVersion ?? 1,
      streamId: event.streamId,
      revision: Number(event.revision),
      position: positionOf(event) ?? 0n,
      occurredAt: occurredAt ?? event.created.toISOString(),
      recordedAt: event.created.toISOString(),
      data: event.data,
      metadata: metadata as EventMetadata,
    });
  }
}
