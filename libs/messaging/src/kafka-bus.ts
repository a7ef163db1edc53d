// The only module that imports kafkajs: it is unmaintained (its maintainers asked for successors in
// 2023), so it stays behind the bus port and another client can replace this file alone.
import {
  Admin,
  Consumer,
  IHeaders,
  Kafka,
  KafkaJSError,
  KafkaMessage,
  logLevel as KafkaJsLogLevel,
  Partitioners,
  Producer,
  RetryOptions,
} from 'kafkajs';
import {
  assertSafeKey,
  backoffDelay,
  BusEvent,
  BusMessage,
  Delivery,
  DeliveryFailedError,
  MessageBus,
  MessageHandler,
  resolveRetryPolicy,
  RetryPolicy,
  SubscribeOptions,
  Subscription,
} from './bus';

export type KafkaLogLevelName = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaTopicSpec {
  topic: string;
  /** Default: `defaultPartitions`. An existing topic is left as it is. */
  partitions?: number;
}

export interface KafkaBusOptions {
  brokers: readonly string[];
  clientId: string;
  /** Created at start-up (idempotently). `auto.create.topics.enable` should be off on the broker. */
  topics?: readonly KafkaTopicSpec[];
  defaultPartitions?: number;
  replicationFactor?: number;
  /**
   * Reconnection back-off of the client (connections, metadata, produce and coordinator requests). The
   * default covers a broker outage of about a minute before `publish` rejects. It is bounded on purpose
   * (kafkajs warns that this "may invalidate EoS guarantees"): a rejected publish is retried by the relay
   * from its checkpoint, which may write a message twice; consumers are idempotent by event id anyway.
   */
  retry?: RetryOptions;
  consumer?: {
    sessionTimeoutMs?: number;
    heartbeatIntervalMs?: number;
    rebalanceTimeoutMs?: number;
    /** Partitions handled at once by one subscriber (each still in order). Default 4. */
    partitionsConsumedConcurrently?: number;
    /** Longest wait of a fetch on an idle partition; `close` waits for the fetch in progress. Default 1 s. */
    maxWaitTimeMs?: number;
    /** How long `subscribe` waits to join its group. Default 60 s. */
    joinTimeoutMs?: number;
  };
  logLevel?: KafkaLogLevelName;
}

const LOG_LEVELS: Record<KafkaLogLevelName, KafkaJsLogLevel> = {
  nothing: KafkaJsLogLevel.NOTHING,
  error: KafkaJsLogLevel.ERROR,
  warn: KafkaJsLogLevel.WARN,
  info: KafkaJsLogLevel.INFO,
  debug: KafkaJsLogLevel.DEBUG,
};

export const defaultKafkaRetry: RetryOptions = {
  initialRetryTime: 250,
  maxRetryTime: 5_000,
  retries: 15,
  factor: 0.2,
  multiplier: 2,
};

/**
 * The bus on Apache Kafka through kafkajs.
 *
 * - Producer: idempotent, `acks: -1`, one request in flight, the Java-compatible (murmur2) partitioner,
 *   so a key lands on the same partition as with any other client.
 * - Subscribers: one kafkajs consumer each, `eachBatch` with auto-commit and auto-resolve off. A
 *   message's offset is resolved and committed only after the handler's promise resolved, then the
 *   consumer heartbeats; a consumer that dies mid-batch therefore leaves the rest uncommitted, and the
 *   group's next owner of the partition gets it again (at least once; duplicates possible).
 * - Per-key order: a key maps to one partition, and a partition's messages are handled one after another.
 */
export class KafkaBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private started: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: KafkaBusOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      retry: { ...defaultKafkaRetry, ...options.retry },
      connectionTimeout: 3_000,
      requestTimeout: 30_000,
      logLevel: LOG_LEVELS[options.logLevel ?? 'warn'],
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { ...defaultKafkaRetry, ...options.retry },
    });
  }

  /** Creates the configured topics and connects the producer. Idempotent; `publish` calls it. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('bus closed'));
    this.started ??= this.doStart().catch((error: unknown) => {
      this.started = undefined; // a later call may try again
      throw error;
    });
    return this.started;
  }

  async publish(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, { key: string; value: string; headers: IHeaders }[]>();
    for (const m of messages) {
      if (!m.topic) throw new Error('a bus message needs a topic');
      assertSafeKey(m.key);
      let list = byTopic.get(m.topic);
      if (!list) byTopic.set(m.topic, (list = []));
      list.push({ key: m.key, value: JSON.stringify(m.value), headers: { ...m.headers } });
    }
    await this.start();
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
    });
  }

  async subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    if (options.topics.length === 0) throw new Error('subscribe to at least one topic');
    await this.start();
    const c = this.options.consumer ?? {};
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: c.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: c.heartbeatIntervalMs ?? 1_000,
      rebalanceTimeout: c.rebalanceTimeoutMs ?? 30_000,
      maxWaitTimeInMs: c.maxWaitTimeMs ?? 1_000,
      allowAutoTopicCreation: false,
      retry: { ...defaultKafkaRetry, ...this.options.retry, restartOnFailure: async () => !subscription.stopping },
    });
    const subscription = new KafkaSubscription(consumer, handler, resolveRetryPolicy(options.retry), () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    try {
      await subscription.start(options, c.partitionsConsumedConcurrently ?? 4, c.joinTimeoutMs ?? 60_000);
    } catch (error) {
      await subscription.close();
      throw error;
    }
    return subscription;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    if (this.started) {
      await this.started.catch(() => undefined);
      await this.producer.disconnect();
    }
  }

  private async doStart(): Promise<void> {
    const topics = this.options.topics ?? [];
    if (topics.length > 0) {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        await createTopics(admin, topics, this.options.defaultPartitions ?? 3, this.options.replicationFactor ?? 1);
      } finally {
        await admin.disconnect();
      }
    }
    await this.producer.connect();
  }
}

const createTopics = async (
  admin: Admin,
  specs: readonly KafkaTopicSpec[],
  defaultPartitions: number,
  replicationFactor: number,
): Promise<void> => {
  const wanted = specs.map((s) => ({
    topic: s.topic,
    numPartitions: s.partitions ?? defaultPartitions,
    replicationFactor,
  }));
  try {
    // Returns false when every topic already exists; that is fine.
    await admin.createTopics({ topics: wanted, waitForLeaders: true });
  } catch (error) {
    // Another process may have created one of them between kafkajs' metadata check and our request.
    const existing = new Set(await admin.listTopics());
    if (!wanted.every((t) => existing.has(t.topic))) throw error;
  }
};

class KafkaSubscription implements Subscription {
  readonly done: Promise<void>;
  stopping = false;
  private failure: Error | undefined;
  private resolveDone!: () => void;
  private rejectDone!: (error: Error) => void;
  private closing: Promise<void> | undefined;
  private inFlight = 0;
  private drained: (() => void)[] = [];

  constructor(
    private readonly consumer: Consumer,
    private readonly handler: MessageHandler,
    private readonly retry: RetryPolicy,
    private readonly onClosed: () => void,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => undefined); // observed through `done`; never an unhandled rejection
  }

  async start(options: SubscribeOptions, concurrency: number, joinTimeoutMs: number): Promise<void> {
    const { CRASH, GROUP_JOIN } = this.consumer.events;
    this.consumer.on(CRASH, ({ payload }) => {
      if (!payload.restart) this.fail(payload.error);
    });
    let joined!: () => void;
    const joinedOnce = new Promise<void>((resolve) => (joined = resolve));
    this.consumer.on(GROUP_JOIN, () => joined());

    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (const message of batch.messages) {
          if (!isRunning() || isStale() || this.stopping) return;
          this.inFlight++;
          try {
            const handled = await this.handle(batch.topic, batch.partition, message, heartbeat);
            if (!handled) return;
            resolveOffset(message.offset);
            // Committed while the runner still runs: kafkajs drops commits once disconnect() has begun.
            await this.consumer.commitOffsets([
              { topic: batch.topic, partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() },
            ]);
          } catch (error) {
            throw forTheRunner(error);
          } finally {
            if (--this.inFlight === 0) this.drained.splice(0).forEach((resolve) => resolve());
          }
          await heartbeat();
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not join group ${options.groupId} in ${joinTimeoutMs} ms`)), joinTimeoutMs);
    });
    try {
      await Promise.race([joinedOnce, timeout, this.done]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopping = true;
      // Let the handlers in flight settle and commit (each batch stops after its current message), then
      // leave the group.
      if (this.inFlight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
      await this.consumer.disconnect();
      this.onClosed();
      if (this.failure) this.rejectDone(this.failure);
      else this.resolveDone();
    })();
    return this.closing.then(() => undefined);
  }

  /** True when the handler succeeded; false when the subscription stopped instead (nothing committed). */
  private async handle(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    const key = message.key?.toString() ?? '';
    let value: BusEvent | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        value ??= JSON.parse(message.value?.toString() ?? 'null') as BusEvent;
        const delivery: Delivery = {
          topic,
          key,
          value,
          headers: decodeHeaders(message.headers),
          attempt,
          partition,
          offset: message.offset,
        };
        await this.handler(delivery);
        return true;
      } catch (error) {
        if (attempt >= this.retry.maxAttempts) {
          this.fail(new DeliveryFailedError(topic, key, value?.id ?? 'unparseable', attempt, error));
          return false;
        }
        await sleep(backoffDelay(this.retry, attempt));
        if (this.stopping) return false;
        await heartbeat();
      }
    }
  }

  private fail(error: Error): void {
    if (this.failure || this.stopping) return;
    this.failure = error;
    // Not awaited here: disconnect waits for the batch that is calling us to return.
    setImmediate(() => void this.close());
  }
}

const decodeHeaders = (headers: IHeaders | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    out[name] = value.toString();
  }
  return out;
};

const GROUP_MEMBERSHIP_ERRORS = new Set([
  'UNKNOWN_MEMBER_ID',
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'NOT_COORDINATOR_FOR_GROUP',
]);

/**
 * kafkajs wraps a failed manual commit in a KafkaJSNonRetriableError without the protocol error's
 * `type`, so its runner does not see that the member must re-join (after a broker restart the coordinator
 * forgets the member: UNKNOWN_MEMBER_ID) and the consumer crashes for good. Hand the runner the original
 * protocol error instead: it re-joins, and the uncommitted message is delivered again (at least once).
 */
const forTheRunner = (error: unknown): unknown => {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && GROUP_MEMBERSHIP_ERRORS.has(type)) return e;
  }
  return error;
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** For callers that want to tell transport errors from handler errors without importing kafkajs. */
export const isTransportError = (error: unknown): boolean => error instanceof KafkaJSError;
