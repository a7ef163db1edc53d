import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { SqliteEventStore } from '@app/event-sourcing';
import { KafkaBus, ParkingLot, ProcessManagerRunner, Relay, topicFor, type KafkaLogLevelName } from '@app/messaging';
import { sleep } from '@app/messaging/test-messages';
import { describeKafka, KafkaBroker, startKafka } from '../support/kafka/broker';
import { appendReferral, CountingBus, followUpsPm, toyDispatcher } from './fixtures/toy-referrals';

jest.setTimeout(150_000);

/** Polls `condition` (sync or async) until true; fails early with what `failFast` returns, if anything. */
const eventually = async (
  what: string,
  timeoutMs: number,
  condition: () => boolean | Promise<boolean>,
  failFast: () => unknown = () => undefined,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failFast();
    if (failure) throw new Error(`while waiting for ${what}: ${failure instanceof Error ? failure.message : String(failure)}`);
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
};

/** True when the group has committed every partition of `topic` up to its end: every handler settled. */
const caughtUp = async (admin: Admin, groupId: string, topic: string): Promise<boolean> => {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const at = new Map(committed.partitions.map((p) => [p.partition, p.offset]));
  return ends.every((end) => end.high === '0' || at.get(end.partition) === end.high);
};

/** Referral i: every tenth from NOWHERE (refused and parked), the rest over three served localities. */
const localityOf = (i: number): string => (i % 10 === 9 ? 'NOWHERE' : ['MENDIP', 'SEDGEMOOR', 'SOUTH_SOMERSET'][i % 3]);

describeKafka('relay and process managers on a real Kafka broker', () => {
  let broker: KafkaBroker;
  let cleanup: (() => Promise<unknown>)[] = [];
  const log = (process.env.KAFKA_TEST_LOG as KafkaLogLevelName | undefined) ?? 'nothing';

  beforeAll(async () => {
    broker = await startKafka();
  }, 180_000);

  afterEach(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup = [];
  });

  afterAll(async () => {
    await broker?.stop();
  }, 60_000);

  /** A fresh store file, a KafkaBus (wrapped to count), the toy dispatcher and a witness of the log. */
  const setUp = async (context: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'toc-relay-pm-'));
    const store = new SqliteEventStore({ filename: join(dir, 'hub.sqlite'), pollIntervalMs: 20 });
    const topic = topicFor(context);
    const kafka = new KafkaBus({
      brokers: broker.brokers,
      clientId: `relay-pm-${context}`,
      topics: [{ topic, partitions: 3 }],
      logLevel: log,
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100, partitionsConsumedConcurrently: 3 },
    });
    const bus = new CountingBus(kafka);
    const admin = new Kafka({ brokers: broker.brokers, clientId: 'relay-pm-admin', logLevel: logLevel.NOTHING }).admin();
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    cleanup.push(() => store.close());
    cleanup.push(() => kafka.close());
    cleanup.push(() => admin.disconnect());
    await kafka.start();

    // Every copy of every message in the log, by event id: `partition:offset` (two offsets = written twice).
    const inLog = new Map<string, Set<string>>();
    const witness = await kafka.subscribe({ topics: [topic], groupId: `witness.${context}`, fromBeginning: true }, async (d) => {
      inLog.set(d.value.id, (inLog.get(d.value.id) ?? new Set()).add(`${d.partition}:${d.offset}`));
    });
    cleanup.push(() => witness.close());

    const dispatcher = toyDispatcher(store);
    const pm = followUpsPm(context);
    const pmErrors: unknown[] = [];
    const pms = new ProcessManagerRunner({
      bus,
      store,
      dispatcher,
      conflictRetries: 20, // three partitions at once count on the same tally streams
      onError: (_name, error) => pmErrors.push(error),
    });
    await pms.start([pm]);
    cleanup.push(() => pms.stop());

    const relayErrors: unknown[] = [];
    const relay = (name = `relay.${context}`, beforeCheckpoint?: () => Promise<void>): Relay => {
      const r = new Relay({
        name,
        context,
        categories: ['referral'],
        store,
        checkpoints: store,
        bus,
        maxBatch: 10,
        beforeCheckpoint,
        onError: (error) => relayErrors.push(error),
      });
      cleanup.push(() => Promise.race([r.stop(), sleep(2_000)]));
      return r;
    };

    const written: { id: string; position: bigint; locality: string }[] = [];
    const append = async (i: number) => {
      const locality = localityOf(i);
      written.push({ ...(await appendReferral(store, locality)), locality });
    };

    /** Waits until the relay published up to the last referral and the PM and witness groups handled the whole log. */
    const settle = async (relayName: string) => {
      const last = written[written.length - 1].position;
      const failFast = () => pmErrors[0];
      await eventually(
        'the relay to checkpoint the last referral',
        60_000,
        async () => (await store.load(relayName)) === last,
        failFast,
      );
      await admin.connect();
      await eventually(
        'the process manager to handle the whole log',
        60_000,
        () => caughtUp(admin, `pm.${pm.name}`, topic),
        failFast,
      );
      await eventually('the witness to read the whole log', 30_000, () => caughtUp(admin, `witness.${context}`, topic), failFast);
    };

    /** No loss, no double-apply: one follow-up per served referral, one tally count each, one parked per refusal. */
    const expectEachAppliedOnce = async () => {
      const served = written.filter((w) => w.locality !== 'NOWHERE');
      const followUps = await store.readAll({ categories: ['followUp'] });
      expect(followUps).toHaveLength(served.length);
      expect(new Set(followUps.map((e) => e.streamId)).size).toBe(served.length);
      expect(new Set(followUps.map((e) => (e.data as { referralEventId: string }).referralEventId))).toEqual(
        new Set(served.map((w) => w.id)),
      );

      const counted = await store.readAll({ categories: ['tally'] });
      expect(counted).toHaveLength(served.length);
      for (const locality of new Set(served.map((w) => w.locality))) {
        expect(
          new Set(
            counted
              .filter((e) => e.streamId === `tally-${locality}`)
              .map((e) => (e.data as { referralEventId: string }).referralEventId),
          ),
        ).toEqual(new Set(served.filter((w) => w.locality === locality).map((w) => w.id)));
      }

      const parked = await new ParkingLot(store, dispatcher).list();
      expect(parked.map((p) => p.eventId).sort()).toEqual(
        written
          .filter((w) => w.locality === 'NOWHERE')
          .map((w) => w.id)
          .sort(),
      );

      // Every source event reached the log and the process manager.
      const handledByPm = bus.handled.get(`pm.${pm.name}`)!;
      for (const w of written) {
        expect(inLog.has(w.id)).toBe(true);
        expect(handledByPm.has(w.id)).toBe(true);
      }
      expect(pmErrors).toEqual([]);
    };

    const writtenTwiceToLog = () => [...inLog].filter(([, offsets]) => offsets.size > 1).map(([id]) => id);

    return { store, bus, admin, pm, relay, written, append, settle, expectEachAppliedOnce, writtenTwiceToLog, relayErrors };
  };

  it('given a relay stopped mid-stream, one that crashed between publish and checkpoint, and a checkpoint moved back, then every referral is followed up and counted exactly once although messages were published twice', async () => {
    // Given
    const context = 'referrals';
    const t = await setUp(context);
    const name = `relay.${context}`;
    const total = 300;
    let writing = true;
    // A steady writer that stays at most 60 events ahead of what reached the bus, so each phase is mid-stream.
    const writer = (async () => {
      for (let i = 0; i < total; i++) {
        while (t.written.length - t.bus.published.size > 60) await sleep(5);
        await t.append(i);
        await sleep(3);
      }
      writing = false;
    })();
    const appended = (more: number) => {
      const target = Math.min(total, t.written.length + more);
      return eventually(`${more} more appends`, 30_000, () => t.written.length >= target);
    };

    // When 1: the first relay is stopped gracefully mid-stream, appends go on, a new relay takes over from the checkpoint
    const first = t.relay();
    await first.start();
    await eventually('60 published', 30_000, () => t.bus.published.size >= 60);
    await first.stop();
    const stoppedAt = await t.store.load(name);
    expect(stoppedAt).toBe(t.written.find((w) => w.id === t.bus.lastPublish[t.bus.lastPublish.length - 1])?.position);
    expect(t.bus.republished).toBe(0); // a graceful stop re-publishes nothing
    await appended(15); // appended while no relay runs

    // When 2: the second relay "crashes" after a publish the broker acknowledged, before its checkpoint moved
    let unacked: string[] = [];
    const second = t.relay(name, () => {
      if (t.bus.published.size < 130) return Promise.resolve();
      unacked = [...t.bus.lastPublish];
      return new Promise<void>(() => undefined); // never returns: the process is gone
    });
    await second.start();
    await eventually('the second relay to crash', 30_000, () => unacked.length > 0);
    const crashedCheckpoint = await t.store.load(name);
    void second.stop(); // only closes its store subscription; its flush never finishes
    await appended(15);
    const third = t.relay();
    await third.start(); // from the stored checkpoint: re-publishes the unacknowledged batch

    // When 3: an operator moves the checkpoint back 30 events while appends go on
    await eventually('200 published', 30_000, () => t.bus.published.size >= 200);
    await third.stop();
    const at = await t.store.load(name);
    const index = t.written.findIndex((w) => w.position === at);
    expect(index).toBeGreaterThanOrEqual(30);
    await t.store.store(name, t.written[index - 30].position);
    const movedBack = t.written.slice(index - 29, index + 1).map((w) => w.id);
    const fourth = t.relay();
    await fourth.start();
    await writer;
    expect(writing).toBe(false);
    await t.settle(name);

    // Then: duplicates really happened ...
    const twice = t.writtenTwiceToLog();
    const repeats = t.bus.repeatsIn(`pm.${t.pm.name}`);
    console.log(
      `${total} referrals; relay 1 stopped at ${stoppedAt}, relay 2 crashed at checkpoint ${crashedCheckpoint} with ` +
        `${unacked.length} published but not checkpointed, checkpoint moved back 30; ${t.bus.republished} re-published, ` +
        `${twice.length} written twice to the log, ${repeats} handled twice by the process manager`,
    );
    for (const id of [...unacked, ...movedBack]) expect(t.bus.published.get(id)).toBeGreaterThanOrEqual(2);
    expect(new Set(twice)).toEqual(new Set([...unacked, ...movedBack]));
    expect(repeats).toBeGreaterThanOrEqual(unacked.length + movedBack.length);
    // ... and nothing was lost or applied twice.
    await t.expectEachAppliedOnce();
  });

  it('given the broker SIGKILLed and restarted while the relay and the process manager run, then nothing is lost and nothing applied twice', async () => {
    // Given
    const context = 'referrals-b';
    const t = await setUp(context);
    const total = 200;
    const relay = t.relay();
    await relay.start();
    const writer = (async () => {
      for (let i = 0; i < total; i++) {
        await t.append(i);
        await sleep(15);
      }
    })();

    // When
    await eventually('50 published', 30_000, () => t.bus.published.size >= 50);
    await broker.kill();
    const killedAt = Date.now();
    const writtenAtKill = t.written.length;
    const publishedAtKill = t.bus.published.size;
    await sleep(1_000);
    await broker.restart();
    const downMs = Date.now() - killedAt;
    const writtenWhileDown = t.written.length - writtenAtKill;
    await writer;
    await t.settle(`relay.${context}`);

    // Then
    console.log(
      `broker down ${downMs} ms, killed with ${writtenAtKill} appended and ${publishedAtKill} published of ${total}; ` +
        `${writtenWhileDown} appended while down; ` +
        `${t.relayErrors.length} relay publish errors, ${t.bus.republished} re-published, ${t.writtenTwiceToLog().length} ` +
        `written twice to the log, ${t.bus.repeatsIn(`pm.${t.pm.name}`)} handled twice by the process manager`,
    );
    expect(publishedAtKill).toBeLessThan(total);
    expect(writtenWhileDown).toBeGreaterThan(0);
    await t.expectEachAppliedOnce();
  });
});
