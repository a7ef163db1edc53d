import { Kafka, logLevel, type Admin } from 'kafkajs';
import { CONTEXTS, MESSAGE_BUS, type ContextDefinition } from '@app/platform';
import { KafkaBus, topicFor, type MessageBus } from '@app/messaging';
import { sleep, testMessage } from '@app/messaging/test-messages';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../support/app';
import { describeKafka, KafkaBroker, startKafka } from '../support/kafka/broker';

jest.setTimeout(60_000);

describeKafka('the standalone app with BUS=kafka', () => {
  let broker: KafkaBroker;
  let admin: Admin;

  beforeAll(async () => {
    broker = await startKafka();
    admin = new Kafka({ brokers: broker.brokers, clientId: 'standalone-smoke-admin', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  }, 180_000);

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
  }, 60_000);

  it('boots on the real broker, answers readiness, has a topic per context it runs, and closes cleanly', async () => {
    // Given
    let t: TestApp | undefined;
    try {
      t = await startTestApp((o) => StandaloneModule.forRoot(o), {
        env: { BUS: 'kafka', KAFKA_BROKERS: broker.brokers.join(','), KAFKA_PARTITIONS: '2' },
      });

      // Then: it is up, on Kafka
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' } } });
      const bus = t.app.get<MessageBus>(MESSAGE_BUS);
      expect(bus).toBeInstanceOf(KafkaBus);

      const contexts = t.app.get<readonly ContextDefinition[]>(CONTEXTS);
      const wanted = contexts.map((c) => topicFor(c.context));
      if (wanted.length === 0) {
        // The standalone module runs no contexts yet: there is no topic to create. Still show that the bus it
        // built reaches the broker named by KAFKA_BROKERS (start() connects the producer).
        console.log(
          'the standalone module runs no contexts yet: only boot, readiness, a producer connection and close are checked',
        );
        await (bus as KafkaBus).start();
      } else {
        // Topics are created at start-up, with KAFKA_PARTITIONS partitions each.
        let existing: string[] = [];
        for (let i = 0; i < 50 && !wanted.every((topic) => existing.includes(topic)); i++) {
          existing = await admin.listTopics();
          if (!wanted.every((topic) => existing.includes(topic))) await sleep(100);
        }
        expect(existing).toEqual(expect.arrayContaining(wanted));
        const { topics } = await admin.fetchTopicMetadata({ topics: wanted });
        for (const topic of topics) expect(topic.partitions).toHaveLength(2);
        console.log(`the standalone module runs ${wanted.length} contexts; topics: ${wanted.join(', ')}`);
      }
      // Every process manager it runs has joined its consumer group.
      const groups = contexts.flatMap((c) => c.processManagers ?? []).map((pm) => `pm.${pm.name}`);
      if (groups.length > 0) {
        const { groups: described } = await admin.describeGroups(groups);
        for (const group of described) expect(group.members.length).toBeGreaterThan(0);
      }

      // When: closed
      await t.destroy();
      t = undefined;

      // Then: the bus was closed with the app, and its process managers left their groups.
      await expect(bus.publish([testMessage('anything.events.v1', 'k', 0)])).rejects.toThrow('bus closed');
      if (groups.length > 0) {
        const { groups: described } = await admin.describeGroups(groups);
        for (const group of described) expect(group.members).toHaveLength(0);
      }
    } finally {
      await t?.destroy();
    }
  });
});
