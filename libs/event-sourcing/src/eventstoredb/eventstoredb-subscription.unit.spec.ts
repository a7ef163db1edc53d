import { Readable } from 'node:stream';
import type { EventStoreDBClient } from '@eventstore/db-client';
import type { SubscriptionItem } from '../event-store';
import { EventStoreDbSubscription } from './eventstoredb-subscription';

// The client surfaces the server's caught_up as an event beside the data, not in it. A stand-in for the
// client's subscription lets us emit it while events are still buffered, which the network rarely does on cue.

const resolved = (commit: bigint) => ({
  event: {
    streamId: 'thing-1',
    id: `00000000-0000-4000-8000-${commit.toString().padStart(12, '0')}`,
    revision: commit,
    type: 'ThingRecorded',
    isJson: true,
    data: {},
    metadata: {},
    created: new Date(0),
    position: { commit, prepare: commit },
  },
});

function fakeClient(script: (stream: Readable) => void): EventStoreDBClient {
  return {
    subscribeToAll: () => {
      const stream = Object.assign(new Readable({ objectMode: true, read() {} }), { unsubscribe: async () => undefined });
      setImmediate(() => script(stream));
      return stream;
    },
  } as unknown as EventStoreDBClient;
}

const subscriptionOn = (client: EventStoreDBClient) =>
  new EventStoreDbSubscription({
    client,
    after: undefined,
    filter: undefined,
    accepts: () => true,
    toRecorded: (event) => ({ ...event, revision: Number(event.revision), position: event.position!.commit }) as never,
    // Far ahead, so only the server's caught_up can mark the seam here.
    rawHead: async () => ({ commit: 1_000_000n, prepare: 1_000_000n }),
    policy: { initialDelayMs: 1, maxDelayMs: 1, maxAttempts: 1 },
    onClose: () => undefined,
  });

async function take(subscription: EventStoreDbSubscription, count: number): Promise<string[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  const kinds: string[] = [];
  while (kinds.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    const item: SubscriptionItem = next.value;
    kinds.push(item.kind === 'event' ? String(item.event.position) : `caughtUp@${item.position}`);
  }
  await subscription.close();
  return kinds;
}

describe('EventStoreDbSubscription caught-up placement', () => {
  it('given events still buffered in the client when caughtUp fires, then the marker follows exactly those events', async () => {
    const subscription = subscriptionOn(
      fakeClient((stream) => {
        stream.push(resolved(10n));
        stream.push(resolved(20n));
        stream.push(resolved(30n));
        stream.emit('caughtUp');
        stream.push(resolved(40n));
      }),
    );
    expect(await take(subscription, 5)).toEqual(['10', '20', '30', 'caughtUp@30', '40']);
  });

  it('given nothing received when caughtUp fires, then the marker comes next, once, at the head read at subscribe time', async () => {
    const subscription = subscriptionOn(
      fakeClient((stream) => {
        stream.emit('caughtUp');
        stream.emit('caughtUp');
        setImmediate(() => stream.push(resolved(10n)));
      }),
    );
    expect(await take(subscription, 2)).toEqual(['caughtUp@1000000', '10']);
  });
});
