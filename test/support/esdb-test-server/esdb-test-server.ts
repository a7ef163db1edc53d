/**
 * TEST DOUBLE — this is NOT EventStoreDB.
 *
 * An in-memory, wire-level imitation of the EventStoreDB gRPC `Streams` service, good enough to run the
 * real `@eventstore/db-client` (6.2.1) against in tests. It answers the RPCs that client calls for
 * append, stream reads, `$all` reads and `$all` catch-up subscriptions, and copies the server's habits
 * where they bite an adapter: `stream_not_found`, `wrong_expected_version` with the current revision,
 * int64 fields as strings, `created` in ticks, system events in `$all`, non-JSON events, idempotent
 * re-append, an inclusive `$all` read position and an exclusive subscription position.
 *
 * Where it differs from a real server (see README.md next to this file):
 * - nothing is persisted; no projections, no ACLs or authentication, no TLS, no gossip or cluster;
 * - no ServerFeatures service (so the client falls back to `Streams.Append`), no BatchAppend,
 *   no Delete/Tombstone, no stream (non-$all) subscriptions, no persistent subscriptions;
 * - positions are synthetic byte-like offsets with commit == prepare;
 * - no filter checkpoints, no `fell_behind`; a slow subscriber is held back by gRPC flow control, never dropped;
 * - stream metadata ($maxCount, $tb, soft delete) is not honoured.
 *
 * The message classes come from the client's own generated code, so the client's `instanceof`
 * checks pass: never load them from another copy of the package.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';

/** Ticks (100 ns) since the Unix epoch, as the server writes `created`. */
const TICKS_PER_MS = 10_000n;

interface StoredEvent {
  streamId: string;
  revision: number;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  createdTicks: bigint;
  position: bigint;
}

interface AllSubscriber {
  call: grpc.ServerWritableStream<ReadReq, ReadResp>;
  matches: (event: StoredEvent) => boolean;
  structuredIds: boolean;
  /** Index in `$all` of the next event to consider: one cursor for catch-up and live, so no seam. */
  next: number;
  caughtUpSent: boolean;
  /** Waiting for 'drain': the client is not reading, so neither do we. */
  blocked: boolean;
}

export interface EsdbTestServerOptions {
  /** Send `caught_up` when a subscription reaches the head, as servers from 23.10 do. Default true. */
  sendCaughtUp?: boolean;
  /** Write a system event into `$all` after every user append, as a busy real node does. Default false. */
  interleaveSystemEvents?: boolean;
}

export interface EsdbTestServer {
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  readonly port: number;
  /** Ends every live subscription, as a server restart or a dropped connection would. */
  dropSubscriptions(how?: 'unavailable' | 'end'): number;
  /** Writes one event to a `$`-prefixed stream with a `$`-prefixed type. Returns its position. */
  injectSystemEvent(): bigint;
  /** Writes an `application/octet-stream` event into an ordinary stream. Returns its position. */
  injectBinaryEvent(streamId: string): bigint;
  setInterleaveSystemEvents(on: boolean): void;
  /** How many subscriptions are live right now. */
  liveSubscriptions(): number;
  /** How many `$all` subscriptions were ever opened, resubscriptions included. */
  subscriptionsOpened(): number;
  stop(): Promise<void>;
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const isSystemStream = (streamId: string) => streamId.startsWith('$');

class InMemoryLog {
  readonly all: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  readonly subscribers = new Set<AllSubscriber>();
  private nextPosition = 0n;
  /** Servers before 23.10 send no `caught_up`. */
  sendCaughtUp = true;
  private systemCounter = 0;

  write(streamId: string, events: Omit<StoredEvent, 'streamId' | 'revision' | 'position' | 'createdTicks'>[]): StoredEvent[] {
    let stream = this.streams.get(streamId);
    if (!stream) this.streams.set(streamId, (stream = []));
    const createdTicks = BigInt(Date.now()) * TICKS_PER_MS;
    const written: StoredEvent[] = [];
    for (const event of events) {
      const stored: StoredEvent = { ...event, streamId, revision: stream.length, position: this.nextPosition, createdTicks };
      // Synthetic log offsets: strictly increasing, never contiguous, so nobody can rely on +1.
      this.nextPosition += 100n + BigInt(event.data.length + event.customMetadata.length);
      stream.push(stored);
      this.all.push(stored);
      written.push(stored);
    }
    for (const subscriber of this.subscribers) this.feed(subscriber);
    return written;
  }

  writeSystemEvent(type = '$statsCollected', streamId = '$stats-127.0.0.1:2113'): StoredEvent {
    this.systemCounter += 1;
    const [event] = this.write(streamId, [
      {
        id: randomUUID(),
        type,
        contentType: 'application/json',
        data: utf8(JSON.stringify({ sample: this.systemCounter })),
        customMetadata: new Uint8Array(),
      },
    ]);
    return event;
  }

  /** What a fresh node has in `$all` before anyone writes: an epoch record and some stream metadata. */
  seed(): void {
    this.writeSystemEvent('$epoch-information', '$epoch-information');
    this.write('$$$scavenges', [
      {
        id: randomUUID(),
        type: '$metadata',
        contentType: 'application/json',
        data: utf8(JSON.stringify({ $maxAge: 2592000 })),
        customMetadata: new Uint8Array(),
      },
    ]);
    this.write('$$$stats-127.0.0.1:2113', [
      {
        id: randomUUID(),
        type: '$metadata',
        contentType: 'application/json',
        data: utf8(JSON.stringify({ $maxAge: 86400 })),
        customMetadata: new Uint8Array(),
      },
    ]);
  }

  /**
   * Sends what the subscriber has not seen yet, as far as gRPC flow control lets it: history is not
   * queued in memory in one go, so a dropped subscription really loses what it had not received.
   */
  feed(subscriber: AllSubscriber): void {
    if (subscriber.blocked || !this.subscribers.has(subscriber)) return;
    while (subscriber.next < this.all.length) {
      const event = this.all[subscriber.next++];
      if (!subscriber.matches(event)) continue;
      if (!subscriber.call.write(readEvent(event, subscriber.structuredIds))) {
        subscriber.blocked = true;
        subscriber.call.once('drain', () => {
          subscriber.blocked = false;
          this.feed(subscriber);
        });
        return;
      }
    }
    if (!subscriber.caughtUpSent) {
      subscriber.caughtUpSent = true;
      if (this.sendCaughtUp) subscriber.call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    }
  }

  head(): bigint | undefined {
    return this.all.at(-1)?.position;
  }
}

const uuidToString = (uuid: UUID | undefined): string => {
  if (!uuid) return randomUUID();
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const hex =
      BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())).toString(16).padStart(16, '0') +
      BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())).toString(16).padStart(16, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return uuid.getString();
};

const uuidMessage = (id: string, structured: boolean): UUID => {
  const uuid = new UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  const bits = new UUID.Structured()
    .setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString(10))
    .setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString(10));
  return uuid.setStructured(bits);
};

const streamName = (identifier: StreamIdentifier | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

function readEvent(event: StoredEvent, structuredIds: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(event.id, structuredIds))
    .setStreamIdentifier(new StreamIdentifier().setStreamName(utf8(event.streamId)))
    .setStreamRevision(String(event.revision))
    .setPreparePosition(String(event.position))
    .setCommitPosition(String(event.position))
    .setCustomMetadata(event.customMetadata)
    .setData(event.data);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('content-type', event.contentType);
  metadata.set('created', String(event.createdTicks));
  const read = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(event.position));
  return new ReadResp().setEvent(read);
}

/** Stream-name or event-type filter, by prefixes or regex, as `ReadReq.Options.FilterOptions` carries it. */
function filterOf(options: ReadReq.Options): (event: StoredEvent) => boolean {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter()!;
  const byStream = filter.hasStreamIdentifier();
  const expression = byStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) return () => true;
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  return (event) => {
    const subject = byStream ? event.streamId : event.type;
    if (prefixes.length > 0 && !prefixes.some((prefix) => subject.startsWith(prefix))) return false;
    if (regex && !regex.test(subject)) return false;
    return true;
  };
}

function readCount(options: ReadReq.Options): number {
  if (!options.hasCount()) return Number.MAX_SAFE_INTEGER;
  const count = BigInt(options.getCount());
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
}

/** Starts a test double on 127.0.0.1 and an ephemeral port. It is NOT EventStoreDB; see the header. */
export async function startEsdbTestServer(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
  const log = new InMemoryLog();
  log.seed();
  log.sendCaughtUp = options.sendCaughtUp ?? true;
  let subscriptionsOpened = 0;
  let interleaveSystemEvents = options.interleaveSystemEvents ?? false;

  const readStream = (call: grpc.ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options) => {
    const streamOptions = options.getStream()!;
    const name = streamName(streamOptions.getStreamIdentifier());
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    if (options.hasSubscription()) {
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'The test double has no stream subscriptions' });
      return;
    }
    const stream = log.streams.get(name);
    if (!stream) {
      // The real server answers a missing stream with a message, not a status.
      const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(new StreamIdentifier().setStreamName(utf8(name)));
      call.write(new ReadResp().setStreamNotFound(notFound));
      call.end();
      return;
    }
    const count = readCount(options);
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const last = stream.length - 1;
    let selected: StoredEvent[];
    if (backwards) {
      const from = streamOptions.hasRevision()
        ? Math.min(Number(streamOptions.getRevision()), last)
        : streamOptions.hasStart()
          ? 0
          : last;
      selected = stream
        .slice(0, from + 1)
        .reverse()
        .slice(0, count);
    } else {
      const from = streamOptions.hasRevision() ? Number(streamOptions.getRevision()) : streamOptions.hasEnd() ? last + 1 : 0;
      selected = stream.slice(from, from + count);
    }
    for (const event of selected) call.write(readEvent(event, structuredIds));
    call.end();
  };

  const readAll = (call: grpc.ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options) => {
    const allOptions = options.getAll()!;
    const matches = filterOf(options);
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    const from = allOptions.hasPosition() ? BigInt(allOptions.getPosition()!.getCommitPosition()) : undefined;

    if (options.hasSubscription()) {
      call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
      // A subscription position is exclusive; `end` means only what is written from now on.
      const start = allOptions.hasEnd() ? log.all.length : from === undefined ? 0 : log.all.findIndex((e) => e.position > from);
      const subscriber: AllSubscriber = {
        call,
        matches,
        structuredIds,
        next: start === -1 ? log.all.length : start,
        caughtUpSent: false,
        blocked: false,
      };
      log.subscribers.add(subscriber);
      subscriptionsOpened += 1;
      const forget = () => log.subscribers.delete(subscriber);
      call.on('cancelled', forget);
      call.on('close', forget);
      call.on('error', forget);
      log.feed(subscriber);
      return;
    }

    const count = readCount(options);
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const selected: StoredEvent[] = [];
    if (backwards) {
      // Backwards from a position: what lies before it.
      for (let i = log.all.length - 1; i >= 0 && selected.length < count; i--) {
        const event = log.all[i];
        if (from !== undefined && allOptions.hasPosition() && event.position >= from) continue;
        if (allOptions.hasStart()) break;
        if (matches(event)) selected.push(event);
      }
    } else {
      // Forwards from a position: inclusive, as the real server reads.
      for (const event of log.all) {
        if (selected.length >= count) break;
        if (allOptions.hasEnd()) break;
        if (from !== undefined && event.position < from) continue;
        if (matches(event)) selected.push(event);
      }
    }
    for (const event of selected) call.write(readEvent(event, structuredIds));
    call.end();
  };

  const append = (appends: AppendReq[]): AppendResp => {
    const options = appends.find((req) => req.hasOptions())?.getOptions();
    if (!options)
      throw Object.assign(new Error('The first append message must carry options'), { code: grpc.status.INVALID_ARGUMENT });
    const name = streamName(options.getStreamIdentifier());
    const proposed = appends.filter((req) => req.hasProposedMessage()).map((req) => req.getProposedMessage()!);
    const events = proposed.map((message) => {
      const metadata = message.getMetadataMap();
      const type = metadata.get('type');
      const contentType = metadata.get('content-type');
      if (!type || !contentType) {
        const trailer = new grpc.Metadata();
        trailer.set('exception', 'missing-required-metadata-property');
        trailer.set('required-properties', 'type,content-type');
        throw Object.assign(new Error('type and content-type are required'), {
          code: grpc.status.INVALID_ARGUMENT,
          metadata: trailer,
        });
      }
      return {
        id: uuidToString(message.getId()),
        type,
        contentType,
        data: message.getData_asU8(),
        customMetadata: message.getCustomMetadata_asU8(),
      };
    });
    const stream = log.streams.get(name) ?? [];
    const current = stream.length - 1;
    const expected = options.getExpectedStreamRevisionCase();
    const Case = AppendReq.Options.ExpectedStreamRevisionCase;
    const expectedRevision = expected === Case.REVISION ? Number(options.getRevision()) : undefined;

    // Idempotence: the same ids already written where this append would have put them.
    let first: number | undefined;
    if (expectedRevision !== undefined) first = expectedRevision + 1;
    else if (expected === Case.NO_STREAM) first = 0;
    else if (events.length > 0) {
      const index = stream.findIndex((e) => e.id === events[0].id);
      first = index === -1 ? undefined : index;
    }
    if (first !== undefined && events.length > 0 && first + events.length - 1 <= current) {
      const already = events.every((event, i) => stream[first! + i]?.id === event.id);
      if (already) {
        // A retried write is acknowledged without a position, as the server reports none for it.
        const success = new AppendResp.Success().setCurrentRevision(String(first + events.length - 1)).setNoPosition(new Empty());
        return new AppendResp().setSuccess(success);
      }
    }

    const matches =
      expected === Case.ANY ||
      (expected === Case.NO_STREAM && current === -1) ||
      (expected === Case.STREAM_EXISTS && current >= 0) ||
      (expectedRevision !== undefined && expectedRevision === current);
    if (!matches) {
      const wrong = new AppendResp.WrongExpectedVersion();
      if (current === -1) wrong.setCurrentNoStream(new Empty());
      else wrong.setCurrentRevision(String(current));
      if (expectedRevision !== undefined) wrong.setExpectedRevision(String(expectedRevision));
      else if (expected === Case.NO_STREAM) wrong.setExpectedNoStream(new Empty());
      else if (expected === Case.STREAM_EXISTS) wrong.setExpectedStreamExists(new Empty());
      else wrong.setExpectedAny(new Empty());
      return new AppendResp().setWrongExpectedVersion(wrong);
    }

    const success = new AppendResp.Success();
    if (events.length === 0) {
      if (current === -1) success.setNoStream(new Empty());
      else success.setCurrentRevision(String(current));
      return new AppendResp().setSuccess(success.setNoPosition(new Empty()));
    }
    const written = log.write(name, events);
    const last = written.at(-1)!;
    if (interleaveSystemEvents && !isSystemStream(name)) log.writeSystemEvent();
    success
      .setCurrentRevision(String(last.revision))
      .setPosition(new AppendResp.Position().setCommitPosition(String(last.position)).setPreparePosition(String(last.position)));
    return new AppendResp().setSuccess(success);
  };

  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: 'Not implemented by the EventStoreDB test double' });

  const server = new grpc.Server();
  server.addService(StreamsService, {
    read(call: grpc.ServerWritableStream<ReadReq, ReadResp>) {
      const options = call.request.getOptions();
      if (!options) return call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'Read without options' });
      if (options.hasStream()) return readStream(call, options);
      if (options.hasAll()) return readAll(call, options);
      call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'Read of neither a stream nor $all' });
    },
    append(call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) {
      const messages: AppendReq[] = [];
      call.on('data', (message: AppendReq) => messages.push(message));
      call.on('error', () => undefined);
      call.on('end', () => {
        try {
          callback(null, append(messages));
        } catch (error) {
          callback(error as grpc.ServiceError);
        }
      });
    },
    delete: unimplemented,
    tombstone: unimplemented,
    batchAppend(call: grpc.ServerDuplexStream<unknown, unknown>) {
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'The test double has no BatchAppend' });
    },
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  const dropSubscriptions = (how: 'unavailable' | 'end' = 'unavailable'): number => {
    const dropped = [...log.subscribers];
    log.subscribers.clear();
    for (const { call } of dropped) {
      if (how === 'end') call.end();
      else call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'Subscription dropped by the EventStoreDB test double' });
    }
    return dropped.length;
  };

  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    port,
    dropSubscriptions,
    injectSystemEvent: () => log.writeSystemEvent().position,
    injectBinaryEvent: (streamId: string) => {
      if (isSystemStream(streamId)) throw new Error('injectBinaryEvent writes to ordinary streams only');
      const [event] = log.write(streamId, [
        {
          id: randomUUID(),
          type: 'OpaqueBlobStored',
          contentType: 'application/octet-stream',
          data: new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]),
          customMetadata: new Uint8Array(),
        },
      ]);
      return event.position;
    },
    setInterleaveSystemEvents: (on: boolean) => {
      interleaveSystemEvents = on;
    },
    liveSubscriptions: () => log.subscribers.size,
    subscriptionsOpened: () => subscriptionsOpened,
    stop: async () => {
      dropSubscriptions('unavailable');
      server.forceShutdown();
    },
  };
}
