import { randomUUID } from 'node:crypto';
import { EventStoreUnavailable, EventStoreDbEventStore, type RecordedEvent, type Subscription } from '@app/event-sourcing';
import { anEvent } from '@app/event-sourcing/testing/event-store-contract';
import { startEsdbTestServer, type EsdbTestServer } from '../support/esdb-test-server';

// EventStoreDB-specific behaviour of the adapter, through the real client, against the in-memory
// TEST DOUBLE of the server (test/support/esdb-test-server), not against EventStoreDB itself.

jest.setTimeout(30_000);

const freshCategory = () => `esdb${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const streamIn = (category: string) => `${category}-${randomUUID()}`;
const fastResubscribe = { initialDelayMs: 10, maxDelayMs: 100, maxAttempts: 20 };

/** Rejects if the promise has not settled in time, so a hang fails the test instead of stalling it. */
const within = <T>(ms: number, promise: Promise<T>): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms).unref()),
  ]);

type Seen = { kind: 'event'; event: RecordedEvent } | { kind: 'caughtUp'; position: bigint | undefined };

async function take(subscription: Subscription, until: (seen: Seen[]) => boolean, timeoutMs = 15_000): Promise<Seen[]> {
  const seen: Seen[] = [];
  const iterator = subscription[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (!until(seen)) {
    const next = await within(Math.max(1, deadline - Date.now()), iterator.next());
    if (next.done) break;
    seen.push(next.value);
  }
  return seen;
}
const eventsIn = (seen: Seen[]) =>
  seen.filter((s): s is Extract<Seen, { kind: 'event' }> => s.kind === 'event').map((s) => s.event);
const countEvents = (n: number) => (seen: Seen[]) => eventsIn(seen).length >= n;

describe('EventStoreDB adapter against the wire-level test double (not a real server)', () => {
  let server: EsdbTestServer;
  let store: EventStoreDbEventStore;

  beforeEach(async () => {
    server = await startEsdbTestServer();
    store = new EventStoreDbEventStore(server.connectionString, { resubscribe: fastResubscribe });
  });
  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  describe('events that are not ours', () => {
    it('given system events and a binary event among ours in $all, when reading, then only our JSON events come out, in order', async () => {
      const category = freshCategory();
      const stream = streamIn(category);
      server.setInterleaveSystemEvents(true);
      const first = [anEvent(), anEvent()];
      await store.appendToStream(stream, first, { expectedRevision: 'no_stream' });
      server.injectBinaryEvent(streamIn(category));
      server.injectSystemEvent();
      const second = [anEvent()];
      await store.appendToStream(stream, second, { expectedRevision: 1 });
      const trailingSystemEvent = server.injectSystemEvent();

      // The raw client sees them all, so the filtering below is the adapter's doing.
      const raw = [];
      for await (const resolved of store.client.readAll({ maxCount: 1000 })) raw.push(resolved.event!);
      expect(raw.some((e) => e.streamId.startsWith('$') && e.type.startsWith('$'))).toBe(true);
      expect(raw.some((e) => !e.isJson && e.streamId.startsWith(`${category}-`))).toBe(true);

      const ids = [...first, ...second].map((e) => e.id);
      expect((await store.readAll({ categories: [category] })).map((e) => e.id)).toEqual(ids);
      const everything = await store.readAll();
      expect(everything.map((e) => e.id)).toEqual(ids);
      expect(everything.every((e) => !e.streamId.startsWith('$') && !e.type.startsWith('$'))).toBe(true);
      // The head is our newest event, not the system event written after it.
      const head = await store.headPosition();
      expect(head).toBe(everything.at(-1)!.position);
      expect(head).toBeLessThan(trailingSystemEvent);
    });

    it('given system and binary events before, during and after catch-up, when subscribing, then only our JSON events are delivered', async () => {
      const category = freshCategory();
      const stream = streamIn(category);
      server.setInterleaveSystemEvents(true);
      const history = [anEvent(), anEvent()];
      await store.appendToStream(stream, history, { expectedRevision: 'no_stream' });
      server.injectBinaryEvent(streamIn(category));

      const subscription = store.subscribeToAll();
      const caughtUp = await take(subscription, (seen) => seen.some((s) => s.kind === 'caughtUp'));
      server.injectBinaryEvent(streamIn(category));
      server.injectSystemEvent();
      const live = [anEvent()];
      await store.appendToStream(stream, live, { expectedRevision: 1 });
      const rest = await take(subscription, countEvents(1));
      await subscription.close();

      const delivered = eventsIn([...caughtUp, ...rest]);
      expect(delivered.map((e) => e.id)).toEqual([...history, ...live].map((e) => e.id));
      expect(caughtUp.map((s) => s.kind)).toEqual(['event', 'event', 'caughtUp']);
    });

    it('given a stream holding a binary event, when reading the stream, then only its JSON events come back', async () => {
      const stream = streamIn(freshCategory());
      const ours = anEvent();
      await store.appendToStream(stream, [ours], { expectedRevision: 'no_stream' });
      server.injectBinaryEvent(stream);
      expect((await store.readStream(stream)).map((e) => e.id)).toEqual([ours.id]);
    });
  });

  describe('caught up', () => {
    it('given the head of $all is a system event hidden by the category filter, when a slow reader subscribes, then the server caught_up marks the seam exactly after the history', async () => {
      const category = freshCategory();
      const stream = streamIn(category);
      const history = Array.from({ length: 600 }, () => anEvent());
      for (let i = 0; i < history.length; i += 200) {
        await store.appendToStream(stream, history.slice(i, i + 200), { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
      }
      server.injectSystemEvent();
      const subscription = store.subscribeToAll({ categories: [category] });
      const iterator = subscription[Symbol.asyncIterator]();
      const first = await iterator.next();
      // Let the client buffer fill while we do not read, so caught_up arrives with events still queued.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const seen = [first.value as Seen, ...(await take(subscription, (s) => s.some((x) => x.kind === 'caughtUp')))];
      await subscription.close();
      expect(eventsIn(seen).map((e) => e.id)).toEqual(history.map((e) => e.id));
      expect(seen.findIndex((s) => s.kind === 'caughtUp')).toBe(history.length);
      expect(seen.at(-1)).toEqual({ kind: 'caughtUp', position: eventsIn(seen).at(-1)!.position });
    });

    it('given a server that sends no caught_up (as before 23.10), when subscribing, then caughtUp is still said once, after the history', async () => {
      const quiet = await startEsdbTestServer({ sendCaughtUp: false });
      const quietStore = new EventStoreDbEventStore(quiet.connectionString);
      try {
        const category = freshCategory();
        const stream = streamIn(category);
        await quietStore.appendToStream(stream, [anEvent(), anEvent(), anEvent()], { expectedRevision: 'no_stream' });
        const subscription = quietStore.subscribeToAll({ categories: [category] });
        const history = await take(subscription, (s) => s.length >= 4);
        const live = anEvent();
        await quietStore.appendToStream(stream, [live], { expectedRevision: 2 });
        const after = await take(subscription, (s) => s.length >= 1);
        await subscription.close();
        expect(history.map((s) => s.kind)).toEqual(['event', 'event', 'event', 'caughtUp']);
        expect(after).toEqual([{ kind: 'event', event: expect.objectContaining({ id: live.id }) }]);
      } finally {
        await quietStore.close();
        await quiet.stop();
      }
    });

    it('given a subscription starting at the head, then caughtUp comes first and live events follow', async () => {
      const category = freshCategory();
      const stream = streamIn(category);
      await store.appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' });
      const head = await store.headPosition();
      const subscription = store.subscribeToAll({ after: head, categories: [category] });
      const first = await take(subscription, (s) => s.length >= 1);
      const live = anEvent();
      await store.appendToStream(stream, [live], { expectedRevision: 0 });
      const next = await take(subscription, (s) => s.length >= 1);
      await subscription.close();
      expect(first).toEqual([{ kind: 'caughtUp', position: head }]);
      expect(next.map((s) => (s.kind === 'event' ? s.event.id : s.kind))).toEqual([live.id]);
    });
  });

  describe('a subscription the server drops', () => {
    for (const how of ['unavailable', 'end'] as const) {
      it(`given live appends, when the server drops subscriptions (${how}) again and again, then the adapter resubscribes with no gap and no duplicate`, async () => {
        const category = freshCategory();
        const streams = Array.from({ length: 3 }, () => streamIn(category));
        const written: string[] = [];
        const appendRetrying = async (stream: string, expectedRevision: number | 'no_stream') => {
          const batch = [anEvent(), anEvent()];
          // A drop may reset the client's channel under an append; re-sending the same ids at the
          // same revision is idempotent, so a retry cannot duplicate.
          for (let attempt = 0; ; attempt++) {
            try {
              const result = await store.appendToStream(stream, batch, { expectedRevision });
              written.push(...batch.map((e) => e.id));
              return result.nextExpectedRevision;
            } catch (error) {
              if (!(error instanceof EventStoreUnavailable) || attempt > 5) throw error;
            }
          }
        };
        const revisions = new Map<string, number | 'no_stream'>(streams.map((s) => [s, 'no_stream']));
        for (const stream of streams) revisions.set(stream, await appendRetrying(stream, 'no_stream'));

        const subscription = store.subscribeToAll({ categories: [category] });
        const rounds = 12;
        const total = streams.length * 2 * (rounds + 1);
        let dropped = 0;
        const writers = (async () => {
          for (let round = 0; round < rounds; round++) {
            for (const stream of streams) revisions.set(stream, await appendRetrying(stream, revisions.get(stream)!));
            if (round % 3 === 1) dropped += server.dropSubscriptions(how);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        })();
        const seen = await take(subscription, countEvents(total), 20_000);
        await writers;
        await subscription.close();

        const received = eventsIn(seen);
        expect(dropped).toBeGreaterThanOrEqual(3);
        expect(server.subscriptionsOpened()).toBeGreaterThanOrEqual(1 + dropped);
        expect(received.map((e) => e.id)).toEqual((await store.readAll({ categories: [category] })).map((e) => e.id));
        expect(new Set(received.map((e) => e.id))).toEqual(new Set(written));
        expect(received).toHaveLength(total);
        for (let i = 1; i < received.length; i++) expect(received[i].position).toBeGreaterThan(received[i - 1].position);
        expect(seen.filter((s) => s.kind === 'caughtUp')).toHaveLength(1);
      });
    }

    it('given a long history, when the server drops the subscription during catch-up, then catch-up resumes and caughtUp is said once, after the last historical event', async () => {
      const category = freshCategory();
      const stream = streamIn(category);
      const history = Array.from({ length: 3000 }, () => anEvent());
      for (let i = 0; i < history.length; i += 250) {
        await store.appendToStream(stream, history.slice(i, i + 250), { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
      }
      const subscription = store.subscribeToAll({ categories: [category] });
      const early = await take(subscription, countEvents(50));
      expect(server.dropSubscriptions()).toBe(1);
      const rest = await take(subscription, (seen) => seen.some((s) => s.kind === 'caughtUp'));
      await subscription.close();

      const seen = [...early, ...rest];
      expect(server.subscriptionsOpened()).toBe(2);
      expect(eventsIn(seen).map((e) => e.id)).toEqual(history.map((e) => e.id));
      expect(seen.findIndex((s) => s.kind === 'caughtUp')).toBe(history.length);
      expect(seen.filter((s) => s.kind === 'caughtUp')).toHaveLength(1);
    });
  });

  it('given an append, then the ESDB event carries the envelope in its JSON metadata', async () => {
    const stream = streamIn(freshCategory());
    const event = anEvent('ThingRecorded', { n: 7 }, 3);
    await store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });
    const raw = [];
    for await (const resolved of store.client.readStream(stream)) raw.push(resolved.event!);
    expect(raw).toEqual([
      expect.objectContaining({
        id: event.id,
        type: 'ThingRecorded',
        isJson: true,
        data: { n: 7 },
        metadata: { ...event.metadata, schemaVersion: 3, occurredAt: event.occurredAt },
      }),
    ]);
  });
});

describe('EventStoreDB adapter with nothing listening (test double stopped)', () => {
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    const server = await startEsdbTestServer();
    await server.stop();
    store = new EventStoreDbEventStore(server.connectionString, {
      resubscribe: { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 3 },
    });
  });
  afterAll(() => store.close());

  it('when appending or reading, then each fails fast with EventStoreUnavailable', async () => {
    const stream = streamIn(freshCategory());
    await expect(within(5_000, store.appendToStream(stream, [anEvent()], { expectedRevision: 'any' }))).rejects.toBeInstanceOf(
      EventStoreUnavailable,
    );
    await expect(within(5_000, store.readStream(stream))).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(within(5_000, store.readAll())).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(within(5_000, store.headPosition())).rejects.toBeInstanceOf(EventStoreUnavailable);
  });

  it('when subscribing, then the subscription gives up after its bounded retries with EventStoreUnavailable', async () => {
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    await expect(within(5_000, iterator.next())).rejects.toBeInstanceOf(EventStoreUnavailable);
    expect((await iterator.next()).done).toBe(true);
  });
});
