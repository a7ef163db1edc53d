import { Delivery, KafkaBus } from '@app/messaging';
import { seqOf, sleep, testMessage, until } from '@app/messaging/test-messages';
import { describeKafka, KafkaBroker, startKafka } from '../support/kafka/broker';

jest.setTimeout(180_000);

describeKafka('KafkaBus when the broker crashes and comes back', () => {
  let broker: KafkaBroker;
  let bus: KafkaBus | undefined;

  beforeAll(async () => {
    broker = await startKafka();
  }, 180_000);

  afterAll(async () => {
    await bus?.close();
    await broker?.stop();
  }, 60_000);

  it('given a broker SIGKILLed and restarted mid-stream, the producer retries and the subscriber gets every message', async () => {
    // Given
    const topic = 'bed-base.events.v1';
    bus = new KafkaBus({
      brokers: broker.brokers,
      clientId: 'restart-test',
      topics: [{ topic, partitions: 3 }],
      logLevel: (process.env.KAFKA_TEST_LOG as 'info' | undefined) ?? 'nothing', // reconnection errors are expected here
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, partitionsConsumedConcurrently: 3 },
    });
    const received: Delivery[] = [];
    const subscription = await bus.subscribe({ topics: [topic], groupId: 'restart', fromBeginning: true }, async (d) => {
      received.push(d);
    });
    const keys = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
    const batches = 40;
    const published: string[] = [];
    let slowestPublishMs = 0;

    // When: a steady stream of publishes, with the broker killed after a quarter of it
    const producer = (async () => {
      for (let batch = 0; batch < batches; batch++) {
        const messages = keys.map((key) => testMessage(topic, key, batch));
        const started = Date.now();
        await bus!.publish(messages); // must ride out the outage, not throw
        slowestPublishMs = Math.max(slowestPublishMs, Date.now() - started);
        published.push(...messages.map((m) => m.value.id));
        await sleep(25);
      }
    })();
    await until(() => published.length >= (batches / 4) * keys.length, 60_000, 'a quarter of the stream');
    await broker.kill();
    const killedAt = Date.now();
    await sleep(1_000);
    await broker.restart();
    const downMs = Date.now() - killedAt;
    await producer;
    const all = keys.flatMap((key) => Array.from({ length: batches }, (_, seq) => `${key}#${seq}`));
    await until(
      () => {
        const seen = new Set(received.map((d) => d.value.id));
        return all.every((id) => seen.has(id));
      },
      90_000,
      'every message to arrive',
    );
    await sleep(500);

    // Then
    expect(published.sort()).toEqual([...all].sort());
    expect(slowestPublishMs).toBeGreaterThan(1_000); // a publish really spanned the outage, and succeeded
    const firstSeen = new Map<string, number[]>();
    const ids = new Set<string>();
    for (const d of received) {
      if (ids.has(d.value.id)) continue;
      ids.add(d.value.id);
      firstSeen.set(d.key, [...(firstSeen.get(d.key) ?? []), seqOf(d.value)]);
    }
    for (const key of keys) expect(firstSeen.get(key)).toEqual(Array.from({ length: batches }, (_, seq) => seq));
    const offsets = new Map<string, Set<string>>();
    for (const d of received) offsets.set(d.value.id, (offsets.get(d.value.id) ?? new Set()).add(`${d.partition}:${d.offset}`));
    const writtenTwice = [...offsets.values()].filter((o) => o.size > 1).length;
    const redelivered = received.length - [...offsets.values()].reduce((n, o) => n + o.size, 0);
    console.log(
      `broker down ${downMs} ms; the slowest publish took ${slowestPublishMs} ms; ` +
        `${received.length} deliveries for ${all.length} messages: ${writtenTwice} written twice to the log, ${redelivered} redelivered`,
    );
    expect(writtenTwice).toBe(0); // the idempotent producer's retries did not duplicate
    await subscription.close();
  });
});
