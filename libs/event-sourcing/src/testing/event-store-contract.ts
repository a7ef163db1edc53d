import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '../envelope';
import { InvalidAppend, StreamNotFound, WrongExpectedRevision } from '../errors';
import type { EventStore, SubscriptionItem } from '../event-store';
import { Upcasters } from '../upcasting';

/** What the contract needs from an adapter. Stores may be shared and non-empty (a real EventStoreDB). */
export interface ContractSubject {
  store: EventStore;
  dispose(): Promise<void>;
}
export type ContractFactory = (options: { upcasters: Upcasters }) => Promise<ContractSubject>;

const hub = { userId: 'contract-suite', role: 'hub' as const, organisation: 'TEST' };

export const anEvent = (type = 'ContractEventRecorded', data: unknown = { n: 1 }, schemaVersion = 1): NewEvent => ({
  id: randomUUID(),
  type,
  schemaVersion,
  data,
  metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: hub },
  occurredAt: '2026-11-25T09:00:00.000Z',
});
const events = (count: number, type?: string) => Array.from({ length: count }, (_, i) => anEvent(type, { n: i }));

/** A category no other test uses, so a shared store's history never leaks into an assertion. */
const freshCategory = () => `contract${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const streamIn = (category: string) => `${category}-${randomUUID()}`;

async function collect(
  iterable: AsyncIterable<SubscriptionItem>,
  until: (seen: RecordedEvent[]) => boolean,
  timeoutMs = 15_000,
): Promise<{ events: RecordedEvent[]; caughtUp: number }> {
  const seen: RecordedEvent[] = [];
  let caughtUp = 0;
  const deadline = Date.now() + timeoutMs;
  const iterator = iterable[Symbol.asyncIterator]();
  while (!until(seen)) {
    if (Date.now() > deadline) throw new Error(`Subscription timed out after ${seen.length} events`);
    const next = await iterator.next();
    if (next.done) break;
    if (next.value.kind === 'event') seen.push(next.value.event);
    else caughtUp += 1;
  }
  return { events: seen, caughtUp };
}

export const upcasters = new Upcasters().register('ContractTemperatureTaken', 1, (data) => {
  const v1 = data as { celsius: number };
  return { reading: { value: v1.celsius, unit: 'Cel' } };
});

/**
 * One behaviour for every adapter. Run it with `describeEventStoreContract('sqlite', factory)`.
 */
export function describeEventStoreContract(adapter: string, factory: ContractFactory): void {
  describe(`EventStore contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    let category: string;

    beforeAll(async () => {
      subject = await factory({ upcasters });
      store = subject.store;
    });
    afterAll(async () => subject?.dispose());
    beforeEach(() => {
      category = freshCategory();
    });

    describe('expected revision', () => {
      it('given no stream, when appending with no_stream, then the stream starts at revision 0', async () => {
        const result = await store.appendToStream(streamIn(category), [anEvent()], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(0);
        expect(result.position).toBeGreaterThan(0n);
      });

      it('given a stream, when appending with no_stream, then it is refused naming the actual revision', async () => {
        const stream = streamIn(category);
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        const refusal = store.appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' });
        await expect(refusal).rejects.toBeInstanceOf(WrongExpectedRevision);
        await expect(refusal).rejects.toMatchObject({ streamId: stream, expected: 'no_stream', actual: 1 });
      });

      it('given no stream, when appending with stream_exists, then it is refused as no_stream', async () => {
        const stream = streamIn(category);
        await expect(store.appendToStream(stream, [anEvent()], { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
          name: 'WrongExpectedRevision',
          actual: 'no_stream',
        });
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFound);
      });

      it('given a stream, when appending with stream_exists, then it appends', async () => {
        const stream = streamIn(category);
        await store.appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(stream, [anEvent()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('when appending with any, then it appends whether or not the stream exists', async () => {
        const stream = streamIn(category);
        expect((await store.appendToStream(stream, [anEvent()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(0);
        expect((await store.appendToStream(stream, events(2), { expectedRevision: 'any' })).nextExpectedRevision).toBe(2);
      });

      it('given a stream at revision 2, when appending at 2, then it appends; at 1 or 3, then it is refused with both revisions', async () => {
        const stream = streamIn(category);
        await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(stream, [anEvent()], { expectedRevision: 1 })).rejects.toMatchObject({
          name: 'WrongExpectedRevision',
          expected: 1,
          actual: 2,
        });
        await expect(store.appendToStream(stream, [anEvent()], { expectedRevision: 3 })).rejects.toMatchObject({
          expected: 3,
          actual: 2,
        });
        expect((await store.appendToStream(stream, [anEvent()], { expectedRevision: 2 })).nextExpectedRevision).toBe(3);
        expect(await store.readStream(stream)).toHaveLength(4);
      });

      it('given no stream, when appending at a specific revision, then it is refused as no_stream', async () => {
        await expect(store.appendToStream(streamIn(category), [anEvent()], { expectedRevision: 0 })).rejects.toMatchObject({
          name: 'WrongExpectedRevision',
          actual: 'no_stream',
        });
      });
    });

    it('given ten writers at the same revision, when they append at once, then exactly one wins and the rest conflict', async () => {
      const stream = streamIn(category);
      await store.appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' });
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          store.appendToStream(stream, [anEvent('ContractEventRecorded', { writer: i })], { expectedRevision: 0 }),
        ),
      );
      const won = attempts.filter((a) => a.status === 'fulfilled');
      const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const loss of lost) expect(loss.reason).toBeInstanceOf(WrongExpectedRevision);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    describe('idempotent re-append', () => {
      it('given an append, when the same event ids are re-sent at the same expected revision, then the first result returns and nothing is written twice', async () => {
        const stream = streamIn(category);
        const batch = events(3);
        const first = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        const followUp = [anEvent()];
        const second = await store.appendToStream(stream, followUp, { expectedRevision: 2 });
        expect(await store.appendToStream(stream, followUp, { expectedRevision: 2 })).toEqual(second);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual([...batch, ...followUp].map((e) => e.id));
      });

      it('given an append, when different ids are sent at the old revision, then it conflicts', async () => {
        const stream = streamIn(category);
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedRevision,
        );
      });

      it('given an append with any, when it is retried at once, then nothing is written twice (best effort)', async () => {
        const stream = streamIn(category);
        const batch = events(2);
        const first = await store.appendToStream(stream, batch, { expectedRevision: 'any' });
        expect(await store.appendToStream(stream, batch, { expectedRevision: 'any' })).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('reading a stream', () => {
      it('given five events, then they read forwards and backwards, from a revision, and up to a count', async () => {
        const stream = streamIn(category);
        const appended = events(5);
        await store.appendToStream(stream, appended, { expectedRevision: 'no_stream' });
        const ids = appended.map((e) => e.id);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual(ids);
        expect((await store.readStream(stream, { direction: 'backwards' })).map((e) => e.id)).toEqual([...ids].reverse());
        expect((await store.readStream(stream, { fromRevision: 3 })).map((e) => e.revision)).toEqual([3, 4]);
        expect((await store.readStream(stream, { direction: 'backwards', maxCount: 1 })).map((e) => e.revision)).toEqual([4]);
        expect(
          (await store.readStream(stream, { direction: 'backwards', fromRevision: 2, maxCount: 2 })).map((e) => e.revision),
        ).toEqual([2, 1]);
        expect(await store.readStream(stream, { fromRevision: 9 })).toEqual([]);
      });

      it('given an append, then each event reads back in the full envelope', async () => {
        const stream = streamIn(category);
        const event = anEvent('ContractEventRecorded', { text: 'hello' });
        const result = await store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });
        const [read] = await store.readStream(stream);
        expect(read).toEqual({
          id: event.id,
          type: 'ContractEventRecorded',
          schemaVersion: 1,
          streamId: stream,
          revision: 0,
          position: result.position,
          occurredAt: '2026-11-25T09:00:00.000Z',
          recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
          data: { text: 'hello' },
          metadata: event.metadata,
        });
      });

      it('given no such stream, then reading it is a typed StreamNotFound', async () => {
        const stream = streamIn(category);
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFound);
        await expect(store.readStream(stream)).rejects.toMatchObject({ streamId: stream });
      });
    });

    it('when an append is malformed, then it is refused and nothing is written', async () => {
      const stream = streamIn(category);
      await expect(store.appendToStream(stream, [], { expectedRevision: 'any' })).rejects.toBeInstanceOf(InvalidAppend);
      await expect(
        store.appendToStream(stream, [{ ...anEvent(), id: 'not-a-uuid' }], { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(InvalidAppend);
      await expect(store.appendToStream('$system-stream', [anEvent()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
        InvalidAppend,
      );
      await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFound);
    });

    describe('$all', () => {
      it('given interleaved appends to many streams, then $all holds them once each in the order they were acknowledged', async () => {
        const streams = Array.from({ length: 12 }, () => streamIn(category));
        const acknowledged: string[] = [];
        for (let round = 0; round < 4; round++) {
          for (const stream of streams) {
            const batch = events(round % 2 === 0 ? 1 : 2);
            await store.appendToStream(stream, batch, { expectedRevision: 'any' });
            acknowledged.push(...batch.map((e) => e.id));
          }
        }
        const all = await store.readAll({ categories: [category] });
        expect(all.map((e) => e.id)).toEqual(acknowledged);
        for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);
        for (const stream of streams) {
          expect(all.filter((e) => e.streamId === stream).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
        }
      });

      it('given a position, then readAll returns only what came strictly after it, up to maxCount', async () => {
        const stream = streamIn(category);
        await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
        const mark = (await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0].position;
        const later = events(4);
        await store.appendToStream(stream, later, { expectedRevision: 2 });
        const after = await store.readAll({ after: mark, categories: [category] });
        expect(after.map((e) => e.id)).toEqual(later.map((e) => e.id));
        expect((await store.readAll({ after: mark, maxCount: 2, categories: [category] })).map((e) => e.id)).toEqual(
          later.slice(0, 2).map((e) => e.id),
        );
        expect(await store.headPosition()).toBeGreaterThanOrEqual(after[3].position);
      });

      it('given several categories, then readAll filters by category', async () => {
        const other = freshCategory();
        await store.appendToStream(streamIn(category), events(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(streamIn(other), events(3), { expectedRevision: 'no_stream' });
        expect(await store.readAll({ categories: [category] })).toHaveLength(2);
        expect(await store.readAll({ categories: [other] })).toHaveLength(3);
        expect(await store.readAll({ categories: [category, other] })).toHaveLength(5);
      });

      it('never shows system ($-prefixed) streams or events', async () => {
        const head = await store.headPosition();
        await store.appendToStream(streamIn(category), [anEvent()], { expectedRevision: 'no_stream' });
        const all = await store.readAll({ maxCount: 5000 });
        expect(all.length).toBeGreaterThan(0);
        for (const event of all) {
          expect(event.streamId.startsWith('$')).toBe(false);
          expect(event.type.startsWith('$')).toBe(false);
        }
        expect(await store.readAll({ after: head })).not.toHaveLength(0);
      });
    });

    describe('subscribeToAll', () => {
      it('given history, when writers keep appending during catch-up, then every event arrives once, in order, with no gap at the seam', async () => {
        const streams = Array.from({ length: 5 }, () => streamIn(category));
        const written: string[] = [];
        for (const stream of streams) {
          const batch = events(10);
          await store.appendToStream(stream, batch, { expectedRevision: 'any' });
          written.push(...batch.map((e) => e.id));
        }
        const subscription = store.subscribeToAll({ categories: [category] });
        const live = (async () => {
          for (let round = 0; round < 20; round++) {
            await Promise.all(
              streams.map(async (stream) => {
                const batch = events(2);
                await store.appendToStream(stream, batch, { expectedRevision: 'any' });
                written.push(...batch.map((e) => e.id));
              }),
            );
          }
        })();
        const total = 50 + 20 * 5 * 2;
        const { events: received, caughtUp } = await collect(subscription, (seen) => seen.length >= total);
        await live;
        await subscription.close();
        expect(received).toHaveLength(total);
        expect(new Set(received.map((e) => e.id)).size).toBe(total);
        expect(new Set(received.map((e) => e.id))).toEqual(new Set(written));
        for (let i = 1; i < received.length; i++) expect(received[i].position).toBeGreaterThan(received[i - 1].position);
        expect(caughtUp).toBeLessThanOrEqual(1);
        const stored = await store.readAll({ categories: [category] });
        expect(received.map((e) => e.id)).toEqual(stored.map((e) => e.id));
      });

      it('given it has caught up, then it says so once and then delivers live appends', async () => {
        const stream = streamIn(category);
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        const subscription = store.subscribeToAll({ categories: [category] });
        const iterator = subscription[Symbol.asyncIterator]();
        const first = [await iterator.next(), await iterator.next(), await iterator.next()].map((r) => r.value?.kind);
        expect(first).toEqual(['event', 'event', 'caughtUp']);
        const liveEvent = anEvent();
        const pending = iterator.next();
        await store.appendToStream(stream, [liveEvent], { expectedRevision: 1 });
        const next = await pending;
        expect(next.value).toMatchObject({ kind: 'event', event: { id: liveEvent.id, revision: 2 } });
        await subscription.close();
        expect((await iterator.next()).done).toBe(true);
      });

      it('given a checkpoint, when a new subscription resumes from it, then it delivers exactly what came after', async () => {
        const stream = streamIn(category);
        const appended = events(25);
        await store.appendToStream(stream, appended, { expectedRevision: 'no_stream' });
        const first = store.subscribeToAll({ categories: [category] });
        const { events: part } = await collect(first, (seen) => seen.length >= 10);
        await first.close();
        const checkpoint = part[9].position;
        const resumed = store.subscribeToAll({ after: checkpoint, categories: [category] });
        const { events: rest } = await collect(resumed, (seen) => seen.length >= 15);
        await resumed.close();
        expect([...part.slice(0, 10), ...rest].map((e) => e.id)).toEqual(appended.map((e) => e.id));
      });
    });

    it('given unicode and a large payload, then both read back exactly', async () => {
      const stream = streamIn(category);
      const text = 'Ysbyty Gwynedd — café naïve 🏥 👩🏽‍⚕️ 病院 \u0000 \u2028 "quoted" \\ back';
      const large = {
        notes: 'x'.repeat(1024 * 1024),
        list: Array.from({ length: 2000 }, (_, i) => ({ i, label: `bed ${i} ✓` })),
      };
      await store.appendToStream(stream, [anEvent('ContractTextRecorded', { text }), anEvent('ContractBlobRecorded', large)], {
        expectedRevision: 'no_stream',
      });
      const [small, big] = await store.readStream(stream);
      expect(small.data).toEqual({ text });
      expect(big.data).toEqual(large);
      const viaAll = await store.readAll({ categories: [category] });
      expect(viaAll[0].data).toEqual({ text });
    });

    it('given an event stored at an older schema version, then it is read in the current shape', async () => {
      const stream = streamIn(category);
      await store.appendToStream(stream, [anEvent('ContractTemperatureTaken', { celsius: 37.2 }, 1)], {
        expectedRevision: 'no_stream',
      });
      await store.appendToStream(stream, [anEvent('ContractTemperatureTaken', { reading: { value: 36.9, unit: 'Cel' } }, 2)], {
        expectedRevision: 0,
      });
      const read = await store.readStream(stream);
      expect(read.map((e) => [e.schemaVersion, e.data])).toEqual([
        [2, { reading: { value: 37.2, unit: 'Cel' } }],
        [2, { reading: { value: 36.9, unit: 'Cel' } }],
      ]);
      const [fromAll] = await store.readAll({ categories: [category] });
      expect(fromAll.data).toEqual({ reading: { value: 37.2, unit: 'Cel' } });
    });
  });
}
