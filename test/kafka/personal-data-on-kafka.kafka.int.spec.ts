import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type IHeaders } from 'kafkajs';
import { CONTEXTS, MessagingLifecycle, type ContextDefinition } from '@app/platform';
import { topicFor } from '@app/messaging';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../support/app';
import { aReferral } from '../support/discharge';
import { describeKafka, KafkaBroker, startKafka } from '../support/kafka/broker';
import { BODIES } from '../security/bodies';
import { fictionalNhsNumber, needlesOf, PEOPLE, scan, spacedNhsNumber } from '../security/support/personal-data';

jest.setTimeout(60_000);

/** The demo's people, plus the person of a community referral (a second NHS number for the last of them). */
const COMMUNITY_PERSON = { ...PEOPLE[3], nhsNumber: fictionalNhsNumber(202_000) };
const NEEDLES = needlesOf([...PEOPLE, COMMUNITY_PERSON]);

interface KafkaRecord {
  where: string;
  topic: string;
  bytes: Buffer;
}

const headerBytes = (headers: IHeaders | undefined): Buffer[] =>
  Object.entries(headers ?? {}).flatMap(([name, value]) => [
    Buffer.from(name, 'utf8'),
    ...(Array.isArray(value) ? value : [value]).map((v) => (v === undefined ? Buffer.alloc(0) : Buffer.from(v))),
  ]);

/**
 * Every message of `topics` from the beginning (key, value and header names and values as raw bytes), read by
 * a consumer of a group of its own, until it has reached the high watermark of every partition.
 */
async function readEverything(brokers: string[], admin: Admin, topics: string[]): Promise<KafkaRecord[]> {
  const remaining = new Map<string, bigint>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) remaining.set(`${topic}/${p.partition}`, BigInt(p.high) - 1n);
    }
  }
  const records: KafkaRecord[] = [];
  if (remaining.size === 0) return records;
  const consumer = new Kafka({ brokers, clientId: 'pii-kafka-scanner', logLevel: logLevel.NOTHING }).consumer({
    groupId: `pii-kafka-scanner-${randomUUID()}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`still waiting for ${[...remaining.keys()].join(', ')} after 30 s`)),
        30_000,
      );
      void consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            const where = `${topic}/${partition}@${message.offset}`;
            records.push({
              where,
              topic,
              bytes: Buffer.concat([
                message.key ?? Buffer.alloc(0),
                message.value ?? Buffer.alloc(0),
                ...headerBytes(message.headers),
              ]),
            });
            const last = remaining.get(`${topic}/${partition}`);
            if (last !== undefined && BigInt(message.offset) >= last) remaining.delete(`${topic}/${partition}`);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

describeKafka('personal data on Kafka: no identifier of anyone in any message the app published', () => {
  let broker: KafkaBroker;
  let admin: Admin;
  let t: TestApp | undefined;

  beforeAll(async () => {
    broker = await startKafka();
    admin = new Kafka({ brokers: broker.brokers, clientId: 'pii-kafka-admin', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  }, 180_000);

  afterAll(async () => {
    await t?.destroy();
    await admin?.disconnect();
    await broker?.stop();
  }, 60_000);

  it('given referrals naming people through P1 with home care, P2, a withdrawal and an erasure, every key, value and header of every topic is free of names, NHS numbers and postcodes', async () => {
    const started = Date.now();
    t = await startTestApp((o) => StandaloneModule.forRoot(o), {
      env: { BUS: 'kafka', KAFKA_BROKERS: broker.brokers.join(','), KAFKA_PARTITIONS: '2' },
    });
    const app = t;
    const post = async (user: string, path: string, payload: object = {}) => {
      const response = await app.app.inject({ method: 'POST', url: path, payload, headers: await app.as(user) });
      if (response.statusCode >= 300) throw new Error(`${path}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const contextTopics = app.app.get<readonly ContextDefinition[]>(CONTEXTS).map((c) => topicFor(c.context));

    // The demo: four referrals whose notes name the person, then P1 with home care, P2, a withdrawal.
    const caseIds: string[] = [];
    for (const person of PEOPLE) {
      const { caseId } = await post('ward.musgrove', '/api/discharge-cases', {
        ...aReferral(),
        patient: person,
        note: `${person.givenName} ${person.familyName} lives alone at ${person.postcode}, NHS ${spacedNhsNumber(person.nhsNumber)}`,
      });
      caseIds.push(caseId);
      await post('hub.coordinator', `/api/discharge-cases/${caseId}/criteria-to-reside/not-met`, { from: '2026-11-22' });
    }
    const [p1, p2, withdrawn, p1Erased] = caseIds;
    const named = (i: number) => `${PEOPLE[i].givenName} ${PEOPLE[i].familyName} (${PEOPLE[i].nhsNumber}, ${PEOPLE[i].postcode})`;
    for (const [i, caseId] of [p1, p1Erased].map((c) => [caseIds.indexOf(c), c] as const)) {
      await post('hub.coordinator', `/api/discharge-cases/${caseId}/pathway`, {
        pathway: 1,
        reason: 'mdt-assessment',
        homeCareNeeded: true,
      });
      await post('hub.coordinator', `/api/discharge-cases/${caseId}/delays`, {
        reasonCode: 'CAP-P1',
        note: `Home care for ${named(i)}: waiting for ${PEOPLE[i].familyName}'s daughter`,
      });
    }
    await post('hub.coordinator', `/api/discharge-cases/${p2}/delays`, {
      reasonCode: 'CAP-P1',
      note: `Rehab bed for ${named(1)}`,
    });
    await post('hub.coordinator', `/api/discharge-cases/${p2}/pathway`, {
      pathway: 2,
      reason: 'mdt-assessment',
      bedCategory: 'rehab',
      intentionToReturnHome: true,
    });
    await post('hub.coordinator', `/api/discharge-cases/${withdrawn}/withdraw`, {
      reason: 'no-longer-needed',
      note: `${named(2)} went home with family`,
    });
    await post('hub.coordinator', '/api/community-referrals', {
      ...(BODIES.SubmitCommunityReferralDto() as object),
      patient: COMMUNITY_PERSON,
      note: `${COMMUNITY_PERSON.givenName} prefers mornings at ${COMMUNITY_PERSON.postcode}`,
    });
    // Erasure: the fourth person's key is destroyed.
    await post('hub.coordinator', `/api/discharge-cases/${p1Erased}/erase-identity`);

    // Everything committed is on the broker (twice: process managers react with commands of their own), then
    // the app closes, which flushes the relays.
    const lifecycle = app.app.get(MessagingLifecycle);
    await lifecycle.drained();
    await new Promise((r) => setTimeout(r, 500));
    await lifecycle.drained();
    await app.destroy();
    t = undefined;

    // Every topic on the broker but Kafka's own (__consumer_offsets): the app's, and the helper's readiness topic.
    const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__')).sort();
    expect(topics).toEqual(expect.arrayContaining(contextTopics));
    const records = await readEverything(broker.brokers, admin, topics);
    const perTopic = Object.fromEntries(topics.map((topic) => [topic, records.filter((r) => r.topic === topic).length]));
    console.log(
      `scanned ${records.length} Kafka messages (keys, values, headers) in ${topics.length} topics: ${JSON.stringify(perTopic)}; ${NEEDLES.length} needles; ${Date.now() - started} ms`,
    );

    // The scan sees decoded payloads: the case ids are there, in the discharge and home-care topics.
    expect(perTopic[topicFor('discharge')]).toBeGreaterThan(10);
    expect(perTopic[topicFor('home-care')]).toBeGreaterThan(0);
    const haystacks = Object.fromEntries(records.map((r) => [r.where, r.bytes]));
    for (const caseId of caseIds) expect(scan(haystacks, [caseId]).length).toBeGreaterThan(0);

    expect(scan(haystacks, NEEDLES)).toEqual([]);
  });

  it('control: the same reader and scanner find identifiers planted in a key, a value and a header of a scratch topic', async () => {
    const scratch = `pii-scanner.scratch-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic: scratch, numPartitions: 1 }], waitForLeaders: true });
    const producer = new Kafka({ brokers: broker.brokers, clientId: 'pii-kafka-planter', logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const [person] = PEOPLE;
    await producer.send({
      topic: scratch,
      messages: [
        { key: 'clean', value: JSON.stringify({ type: 'Nothing', data: {} }) },
        { key: person.nhsNumber, value: '{}' },
        { key: 'k', value: JSON.stringify({ note: `lives at ${person.postcode}` }) },
        { key: 'k', value: '{}', headers: { 'x-who': spacedNhsNumber(person.nhsNumber), [person.familyName]: 'x' } },
      ],
    });
    await producer.disconnect();

    const records = await readEverything(broker.brokers, admin, [scratch]);
    expect(records).toHaveLength(4);
    const haystacks = Object.fromEntries(records.map((r) => [r.where, r.bytes]));
    expect(scan(haystacks, NEEDLES).sort()).toEqual(
      [
        `${person.nhsNumber} in ${scratch}/0@1`,
        `${person.postcode} in ${scratch}/0@2`,
        `${spacedNhsNumber(person.nhsNumber)} in ${scratch}/0@3`,
        `${person.familyName} in ${scratch}/0@3`,
      ].sort(),
    );
  });
});
