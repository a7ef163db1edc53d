import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Delivery, DeliveryFailedError, KafkaBus, KafkaBusOptions, toBusMessage } from '@app/messaging';
import { grouped, interleaved, seqOf, sleep, testMessage, until } from '@app/messaging/test-messages';
import { describeKafka, KafkaBroker, startKafka } from '../support/kafka/broker';

jest.setTimeout(120_000);

let topicCount = 0;
const freshTopic = (): string => `test${Date.now().toString(36)}x${++topicCount}.events.v1`;

/** Per key, the sequence numbers in the order the handler first received them. */
const firstSeenByKey = (deliveries: readonly Delivery[]): Map<string, number[]> => {
  const seen = new Set<string>();
  const out = new Map<string, number[]>();
  for (const d of deliveries) {
    if (seen.has(d.value.id)) continue;
    seen.add(d.value.id);
    out.set(d.key, [...(out.get(d.key) ?? []), seqOf(d.value)]);
  }
  return out;
};

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describeKafka('KafkaBus against a real Kafka broker', () => {
  let broker: KafkaBroker;
  const buses: KafkaBus[] = [];

  beforeAll(async () => {
    broker = await startKafka();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    await broker?.stop();
  }, 60_000);

  const newBus = (options: Partial<KafkaBusOptions> = {}): KafkaBus => {
    const bus = new KafkaBus({
      brokers: broker.brokers,
      clientId: 'kafka-bus-test',
      logLevel: 'error',
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500 },
      ...options,
    });
    buses.push(bus);
    return bus;
  };

  it('given an event published to its context topic, a subscriber receives it with its key, value and headers', async () => {
    // Given
    const topic = 'discharge.events.v1';
    const bus = newBus({ topics: [{ topic, partitions: 3 }] });
    const message = toBusMessage('discharge', {
      id: '0c4e3b1a-1111-4a2b-8c3d-000000000001',
      type: 'PathwayAssigned',
      schemaVersion: 1,
      streamId: 'dischargeCase-7d9f0a12-2222-4b3c-9d4e-000000000002',
      revision: 0,
      position: 9007199254740993n, // beyond Number.MAX_SAFE_INTEGER: must survive as a string
      occurredAt: '2026-03-01T10:00:00.000Z',
      recordedAt: '2026-03-01T10:00:00.100Z',
      data: { pathway: 'P2' },
      metadata: { correlationId: 'c1', causationId: 'c1', actor: { userId: 'u1', role: 'ward', organisation: 'RXX' } },
    });
    const received: Delivery[] = [];
    await bus.subscribe({ topics: [topic], groupId: 'round-trip', fromBeginning: true }, async (d) => {
      received.push(d);
    });

    // When
    await bus.publish([message]);
    await until(() => received.length > 0, 30_000, 'the message');

    // Then
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      topic,
      key: '7d9f0a12-2222-4b3c-9d4e-000000000002',
      value: message.value,
      headers: message.headers,
      attempt: 1,
    });
    expect(received[0].value.position).toBe('9007199254740993');
    expect(received[0].partition).toBeGreaterThanOrEqual(0);
    expect(received[0].partition).toBeLessThan(3);
  });

  it('given many keys over three partitions and slow handlers, each key arrives in order and every message once', async () => {
    // Given
    const topic = freshTopic();
    const bus = newBus({ topics: [{ topic, partitions: 3 }], consumer: { partitionsConsumedConcurrently: 3 } });
    const keys = range(30).map((i) => `case-${i}`);
    const received: Delivery[] = [];
    await bus.subscribe({ topics: [topic], groupId: 'order', fromBeginning: true }, async (d) => {
      await sleep(seqOf(d.value) % 3);
      received.push(d);
    });

    // When
    const messages = interleaved(topic, keys, 15);
    for (let i = 0; i < messages.length; i += 45) await bus.publish(messages.slice(i, i + 45));
    await until(() => received.length >= messages.length, 60_000, `${messages.length} messages`);
    await sleep(500); // anything more would be a duplicate

    // Then
    expect(received).toHaveLength(messages.length);
    expect(new Set(received.map((d) => d.partition))).toEqual(new Set([0, 1, 2]));
    const byKey = firstSeenByKey(received);
    for (const key of keys) expect(byKey.get(key)).toEqual(range(15));
    // A key stays on one partition (the Java-compatible partitioner).
    for (const key of keys) expect(new Set(received.filter((d) => d.key === key).map((d) => d.partition)).size).toBe(1);
  });

  it('given a subscriber closed while its handler runs, the next subscriber in the group gets everything it had not finished', async () => {
    // Given
    const topic = freshTopic();
    const bus = newBus({ topics: [{ topic, partitions: 3 }] });
    const messages = interleaved(topic, ['a', 'b', 'c', 'd', 'e', 'f'], 20);
    await bus.publish(messages);
    const finishedByFirst: string[] = [];
    let handled = 0;
    let closing: Promise<void> | undefined;
    const first = await bus.subscribe({ topics: [topic], groupId: 'takeover', fromBeginning: true }, async (d) => {
      if (++handled === 30) closing = first.close(); // close from inside a batch, mid-handler
      await sleep(5);
      finishedByFirst.push(d.value.id);
    });
    await until(() => closing !== undefined, 30_000, 'the first subscriber to be closing');
    await closing;

    // When
    const second: Delivery[] = [];
    await bus.subscribe({ topics: [topic], groupId: 'takeover', fromBeginning: true }, async (d) => {
      second.push(d);
    });
    const all = messages.map((m) => m.value.id);
    const covered = (): boolean => {
      const seen = new Set([...finishedByFirst, ...second.map((d) => d.value.id)]);
      return all.every((id) => seen.has(id));
    };
    await until(covered, 60_000, 'every message to be handled by one subscriber or the other');

    // Then: nothing lost and, as the close was graceful, nothing twice: what the first finished (the
    // handler it was in when closed included) was committed before it left the group.
    await sleep(500);
    expect(finishedByFirst.length).toBeGreaterThanOrEqual(30);
    const duplicates = second.filter((d) => finishedByFirst.includes(d.value.id)).length;
    console.log(`closed mid-batch: first finished ${finishedByFirst.length}, second got ${second.length}, ${duplicates} twice`);
    expect(duplicates).toBe(0);
    expect(finishedByFirst.length + second.length).toBe(all.length);
    for (const [, seqs] of firstSeenByKey(second)) expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });

  it('given a subscriber process SIGKILLed mid-batch, a new subscriber in the group gets at least everything it had not finished', async () => {
    // Given
    const topic = freshTopic();
    const bus = newBus({ topics: [{ topic, partitions: 3 }] });
    const messages = interleaved(
      topic,
      range(12).map((i) => `k${i}`),
      25,
    );
    await bus.publish(messages);
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register',
        join(__dirname, 'fixtures', 'consume-until-killed.ts'),
        broker.brokers.join(','),
        topic,
        'crash',
        '10',
      ],
      { env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const started = new Set<string>();
    const finishedByDoomed = new Set<string>();
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const [what, id] = line.split(' ');
        if (what === 'start') started.add(id);
        if (what === 'done') finishedByDoomed.add(id);
      }
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));

    // When: killed while handling (handlers take 10 ms; 3 partitions at once)
    await until(() => finishedByDoomed.size >= 100, 60_000, 'the doomed subscriber to handle 100 messages');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const unfinishedAtKill = [...started].filter((id) => !finishedByDoomed.has(id));

    const second: Delivery[] = [];
    await bus.subscribe({ topics: [topic], groupId: 'crash', fromBeginning: true }, async (d) => {
      second.push(d);
    });
    const all = messages.map((m) => m.value.id);
    const covered = (): boolean => {
      const seen = new Set([...finishedByDoomed, ...second.map((d) => d.value.id)]);
      return all.every((id) => seen.has(id));
    };
    await until(covered, 60_000, 'every message to be handled by one subscriber or the other');

    // Then
    const secondIds = new Set(second.map((d) => d.value.id));
    for (const id of unfinishedAtKill) expect(secondIds.has(id)).toBe(true);
    expect(second.length).toBeLessThan(all.length); // the doomed one had committed what it finished
    const duplicates = second.filter((d) => finishedByDoomed.has(d.value.id)).length;
    console.log(
      `killed mid-batch: doomed finished ${finishedByDoomed.size} (${unfinishedAtKill.length} in its handler at the kill), ` +
        `second got ${second.length}, of which ${duplicates} the doomed one had finished (redelivered: at least once)`,
    );
  });

  it('given a handler that keeps failing, retries with back-off, then stops the subscription without committing', async () => {
    // Given
    const topic = freshTopic();
    const bus = newBus({ topics: [{ topic, partitions: 1 }] });
    await bus.publish(grouped(topic, ['a'], 2));
    const attempts: { id: string; attempt: number; at: number }[] = [];
    const failing = await bus.subscribe(
      {
        topics: [topic],
        groupId: 'poison',
        fromBeginning: true,
        retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 },
      },
      async (d) => {
        attempts.push({ id: d.value.id, attempt: d.attempt, at: Date.now() });
        throw new Error('the target context refuses');
      },
    );

    // When
    const error = await failing.done.then(
      () => undefined,
      (e: unknown) => e,
    );

    // Then
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(error).toMatchObject({ key: 'a', eventId: 'a#0', attempts: 3 });
    expect(attempts.map((a) => [a.id, a.attempt])).toEqual([
      ['a#0', 1],
      ['a#0', 2],
      ['a#0', 3],
    ]);
    expect(attempts[2].at - attempts[0].at).toBeGreaterThanOrEqual(300 - 20); // 100 + 200 ms back-off

    const next: string[] = [];
    await bus.subscribe({ topics: [topic], groupId: 'poison', fromBeginning: true }, async (d) => {
      next.push(d.value.id);
    });
    await until(() => next.length >= 2, 30_000, 'the redelivery');
    expect(next).toEqual(['a#0', 'a#1']);
  });

  it('refuses a personal identifier as a key before anything reaches the broker', async () => {
    const bus = newBus();
    await expect(bus.publish([testMessage(freshTopic(), '9434765919', 0)])).rejects.toThrow(/NHS number/);
  });
});
