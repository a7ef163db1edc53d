import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  CommandDispatcher,
  CommandRunner,
  DomainRefusal,
  SqliteEventStore,
  type Command,
  type Decider,
  type DomainEvent,
  type EventStore,
} from '@app/event-sourcing';
import { InProcessBus } from './in-process-bus';
import {
  derivedId,
  ParkingLot,
  ProcessManagerRunner,
  reactionTo,
  registerParkingLot,
  type ProcessManager,
} from './process-manager';
import { Relay } from './relay';
import { topicFor } from './bus';

// A toy pair of contexts: "referrals" emit ReferralReceived; the PM opens a follow-up (a new stream
// derived from the event id) and counts the referral on a per-locality tally (an existing stream).

type FollowUpEvent = DomainEvent<'FollowUpOpened', { followUpId: string; referralEventId: string }>;
type FollowUpCommand = Command<'OpenFollowUp', { followUpId: string; referralEventId: string; locality: string }>;
const followUp: Decider<{ open: boolean }, FollowUpCommand, FollowUpEvent> = {
  initialState: () => ({ open: false }),
  evolve: () => ({ open: true }),
  decide: (command) => {
    if (command.data.locality === 'NOWHERE')
      throw new DomainRefusal('UNKNOWN_LOCALITY', 'The locality is not one the hub serves');
    return {
      type: 'FollowUpOpened',
      data: { followUpId: command.data.followUpId, referralEventId: command.data.referralEventId },
    };
  },
};

type TallyEvent = DomainEvent<'ReferralCounted', { referralEventId: string }>;
type TallyCommand = Command<'CountReferral', { locality: string; referralEventId: string }>;
const tally: Decider<{ seen: string[] }, TallyCommand, TallyEvent> = {
  initialState: () => ({ seen: [] }),
  evolve: (state, event) => ({ seen: [...state.seen, event.data.referralEventId] }),
  // Idempotent by the triggering event id: a redelivery after the stream moved on decides nothing.
  decide: (command, state) =>
    state.seen.includes(command.data.referralEventId)
      ? []
      : { type: 'ReferralCounted', data: { referralEventId: command.data.referralEventId } },
};

const followUpsPm: ProcessManager = {
  name: 'follow-ups',
  topics: [topicFor('referrals')],
  react: (event) => {
    if (event.type !== 'ReferralReceived') return [];
    const { locality } = event.data as { locality: string };
    return [
      reactionTo<FollowUpCommand>('follow-ups', event, 0, 'OpenFollowUp', {
        followUpId: derivedId('follow-ups', event),
        referralEventId: event.id,
        locality,
      }),
      ...(locality === 'NOWHERE'
        ? []
        : [reactionTo<TallyCommand>('follow-ups', event, 1, 'CountReferral', { locality, referralEventId: event.id })]),
    ];
  },
};

const actor = { userId: 'ward.musgrove', role: 'ward' as const, organisation: 'RH5' };
const referral = (locality: string) => ({
  id: randomUUID(),
  type: 'ReferralReceived',
  data: { locality },
  metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor },
  occurredAt: '2026-11-23T09:00:00.000Z',
});

async function run(seed: number, localities: string[], duplicateRate: number) {
  const store = new SqliteEventStore({ filename: ':memory:', pollIntervalMs: 5 });
  const bus = new InProcessBus({ shuffle: { seed, duplicateRate } });
  const dispatcher = new CommandDispatcher(new CommandRunner(store));
  dispatcher
    .register(['OpenFollowUp'], {
      decider: followUp,
      streamOf: (c: FollowUpCommand) => `followUp-${c.data.followUpId}`,
      createOnly: true,
    })
    .register(['CountReferral'], { decider: tally, streamOf: (c: TallyCommand) => `tally-${c.data.locality}` });
  registerParkingLot(dispatcher);
  const relay = new Relay({
    name: 'relay.referrals',
    context: 'referrals',
    categories: ['referral'],
    store,
    checkpoints: store,
    bus,
    maxBatch: 7,
  });
  const pms = new ProcessManagerRunner({ bus, store, dispatcher });
  await pms.start([followUpsPm]);
  await relay.start();
  for (const locality of localities)
    await store.appendToStream(`referral-${randomUUID()}`, [referral(locality)], { expectedRevision: 'no_stream' });
  return { store, bus, relay, pms, dispatcher };
}

async function settle(store: EventStore, bus: InProcessBus, relay: Relay, expectedReferrals: number) {
  for (let i = 0; i < 200 && relay.publishedCount < expectedReferrals; i++) await new Promise((r) => setTimeout(r, 5));
  await relay.drained();
  await bus.idle();
  return store;
}

describe('process managers under the shuffle mode', () => {
  it('given any interleaving of keys and duplicate deliveries, then every referral is followed up once, counted once, and every refusal parked once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.constantFrom('MENDIP', 'SEDGEMOOR', 'SOUTH_SOMERSET', 'NOWHERE'), { minLength: 1, maxLength: 25 }),
        fc.constantFrom(0, 0.3, 0.6),
        async (seed, localities, duplicateRate) => {
          const { store, bus, relay, pms, dispatcher } = await run(seed, localities, duplicateRate);
          await settle(store, bus, relay, localities.length);

          const followUps = await store.readAll({ categories: ['followUp'] });
          const served = localities.filter((l) => l !== 'NOWHERE');
          expect(followUps).toHaveLength(served.length);
          expect(new Set(followUps.map((e) => (e.data as { referralEventId: string }).referralEventId)).size).toBe(served.length);

          const counted = await store.readAll({ categories: ['tally'] });
          for (const locality of new Set(served)) {
            expect(counted.filter((e) => e.streamId === `tally-${locality}`)).toHaveLength(
              served.filter((l) => l === locality).length,
            );
          }

          const parked = await new ParkingLot(store, dispatcher).list();
          expect(parked).toHaveLength(localities.length - served.length);
          for (const message of parked) expect(message.reason).toEqual({ code: 'UNKNOWN_LOCALITY', message: expect.any(String) });

          await relay.stop();
          await pms.stop();
          await bus.close();
          await store.close();
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);

  it('given a parked message, when the hub retries it after the cause is fixed, then it resolves and leaves the list', async () => {
    const { store, bus, relay, pms, dispatcher } = await run(7, ['NOWHERE'], 0);
    await settle(store, bus, relay, 1);
    const lot = new ParkingLot(store, dispatcher);
    const [message] = await lot.list();
    expect(message).toMatchObject({ status: 'parked', processManager: 'follow-ups', eventType: 'ReferralReceived' });

    const hub = { userId: 'hub.coordinator', role: 'hub' as const, organisation: 'TOCH' };
    const by = { commandId: randomUUID(), correlationId: randomUUID(), actor: hub, now: '2026-11-23T10:00:00.000Z' };
    expect(await lot.retry(message.parkedId!, by)).toBe('refused');
    expect((await lot.get(message.parkedId!))?.attempts).toBe(2);

    // The cause fixed: the command is corrected by routing it to a decider that now accepts it.
    const fixed = new CommandDispatcher(new CommandRunner(store));
    fixed.register(['OpenFollowUp'], {
      decider: {
        ...followUp,
        decide: (c: FollowUpCommand) => followUp.decide({ ...c, data: { ...c.data, locality: 'MENDIP' } }, { open: false }),
      },
      streamOf: (c: FollowUpCommand) => `followUp-${c.data.followUpId}`,
      createOnly: true,
    });
    registerParkingLot(fixed);
    expect(await new ParkingLot(store, fixed).retry(message.parkedId!, { ...by, commandId: randomUUID() })).toBe('resolved');
    expect(await lot.list()).toHaveLength(0);
    await expect(lot.retry(message.parkedId!, { ...by, commandId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_PARKED' });

    await relay.stop();
    await pms.stop();
    await bus.close();
    await store.close();
  });
});
