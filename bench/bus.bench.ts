/**
 * The integration bus, measured: how fast the relay moves a backlog from the event store to the bus, and how long
 * an event takes to reach a consumer's handler, on the in-process bus and on a real single-node Kafka broker (run
 * by test/support/kafka/kafka.sh from Maven Central jars, started and stopped here).
 *
 *   npm run bench:bus
 *   BENCH_EVENTS=50000 BENCH_RATE=100 BENCH_SECONDS=5 BENCH_DIR=/mnt/other npm run bench:bus
 *
 * Figures are printed, never asserted. Without Java (or Maven, before the jars are cached) the Kafka rows are
 * skipped, and the report says why.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../libs/event-sourcing/src/sqlite/sqlite-event-store';
import { topicFor, type BusMessage, type MessageBus } from '../libs/messaging/src/bus';
import { InProcessBus } from '../libs/messaging/src/in-process-bus';
import { KafkaBus } from '../libs/messaging/src/kafka-bus';
import { Relay } from '../libs/messaging/src/relay';
import { benchFiles, fmt, loadAverage, machine, makeEvent, printTable } from './support';

// ---------------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------------

/** Backlog the relay drains (one event per stream, so keys spread over the partitions). */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
/** Paced rate of the latency runs, events per second. */
const RATE = Number(process.env.BENCH_RATE ?? 50);
const MEASURE_MS = Math.round(Number(process.env.BENCH_SECONDS ?? 4) * 1000);
/** How long the consumer of the backlog is watched after the relay finished, at most. */
const CONSUMER_WINDOW_MS = 10_000;
const WARMUP_MS = 500;
/** As the app: KAFKA_PARTITIONS defaults to 3. */
const PARTITIONS = 3;
const KAFKA_SCRIPT = join(__dirname, '..', 'test', 'support', 'kafka', 'kafka.sh');

// ---------------------------------------------------------------------------------------------------------------
// The workload: one realistic event (bench/support.ts) on a stream of its own
// ---------------------------------------------------------------------------------------------------------------

const sample = makeEvent(0);
const EVENT_BYTES = Buffer.byteLength(JSON.stringify({ ...sample, position: '123456', recordedAt: sample.occurredAt }));

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

const waitFor = async (what: string, timeoutMs: number, condition: () => boolean): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// The buses under test
// ---------------------------------------------------------------------------------------------------------------

interface BusUnderTest {
  label: string;
  /** A fresh bus whose topic for `context` exists. */
  create(context: string, quiet?: boolean): Promise<MessageBus>;
  /** The relay's beforeCheckpoint, as the app wires it (MessagingLifecycle). */
  beforeCheckpoint(bus: MessageBus): (() => Promise<void>) | undefined;
  settings: string;
}

const inProcess: BusUnderTest = {
  label: 'in-process',
  create: async () => new InProcessBus(),
  beforeCheckpoint: (bus) => () => (bus as InProcessBus).idle(),
  settings:
    'InProcessBus defaults (32 handlers in flight per group); relay waits for idle() before its checkpoint, as the app does',
};

const kafka = (brokers: string[]): BusUnderTest => ({
  label: 'kafka',
  create: async (context, quiet = false) => {
    // As createBus() builds it for BUS=kafka, with errors only in the log.
    const bus = new KafkaBus({
      brokers,
      clientId: 'bench',
      topics: [{ topic: topicFor(context) }],
      defaultPartitions: PARTITIONS,
      logLevel: quiet ? 'nothing' : 'error',
    });
    await bus.start();
    return bus;
  },
  beforeCheckpoint: () => undefined,
  settings:
    `KafkaBus as the app builds it: idempotent producer, acks=-1, 1 request in flight; ${PARTITIONS} partitions; ` +
    'consumer commits each message after its handler, 4 partitions at once, maxWait 1 s',
});

// ---------------------------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------------------------

interface ThroughputResult {
  events: number;
  relaySeconds: number;
  /** Handled by the consumer group, from the relay's start until all were handled or the window closed. */
  consumed: number;
  consumedSeconds: number;
  batches: number;
}

/** Relay catch-up: a backlog of EVENTS in a fresh store, drained to the bus while one consumer group handles it. */
async function relayThroughput(b: BusUnderTest, file: string): Promise<ThroughputResult> {
  const context = `bench-relay-${Date.now().toString(36)}`;
  const store = new SqliteEventStore({ filename: file });
  // Fill (group commit, 500 appends at a time): not measured.
  for (let i = 0; i < EVENTS; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, EVENTS - i) }, (_, k) =>
        store.appendToStream(`dischargeCase-${randomUUID()}`, [makeEvent(i + k)], { expectedRevision: 'no_stream' }),
      ),
    );
  }
  const bus = await b.create(context);
  let consumed = 0;
  let consumedAt = 0;
  await bus.subscribe({ topics: [topicFor(context)], groupId: `bench.${context}`, fromBeginning: true }, async () => {
    consumed++;
    consumedAt = performance.now();
  });
  let batches = 0;
  const hook = b.beforeCheckpoint(bus);
  const relay = new Relay({
    name: `relay.${context}`,
    context,
    categories: ['dischargeCase'],
    store,
    checkpoints: store,
    bus,
    beforeCheckpoint: async () => {
      batches++;
      await hook?.();
    },
  });
  const started = performance.now();
  await relay.start();
  await waitFor('the relay to publish the backlog', 120_000, () => relay.publishedCount >= EVENTS);
  const relayDone = performance.now();
  await waitFor('the consumer to handle the backlog', CONSUMER_WINDOW_MS, () => consumed >= EVENTS).catch(() => undefined);
  const handled = consumed;
  const handledAt = consumedAt;
  await relay.stop();
  await bus.close();
  await store.close();
  return {
    events: EVENTS,
    relaySeconds: (relayDone - started) / 1000,
    consumed: handled,
    consumedSeconds: (handledAt - started) / 1000,
    batches,
  };
}

interface LatencyResult {
  samples: number[];
  /** Handler before the producer saw its own acknowledgement (clamped to 0 in the samples). */
  early: number;
  lost: number;
  extra?: number[];
}

/** Calls `tick(i)` every 1000/RATE ms (without drift) until the warm-up plus MEASURE_MS are over. */
async function paced(tick: (i: number, measured: boolean) => Promise<void>): Promise<number> {
  const interval = 1000 / RATE;
  const start = performance.now();
  const end = start + WARMUP_MS + MEASURE_MS;
  let i = 0;
  for (let next = start; next < end; next += interval, i++) {
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
    await tick(i, next >= start + WARMUP_MS);
  }
  return i;
}

/**
 * End to end: an append acknowledged by the store (durable) → the relay reads it → publishes → the consumer's
 * handler is invoked. One append at a time, paced at RATE.
 */
async function appendToHandler(b: BusUnderTest, file: string): Promise<LatencyResult> {
  const context = `bench-live-${Date.now().toString(36)}`;
  const store = new SqliteEventStore({ filename: file });
  const bus = await b.create(context);
  const ackedAt = new Map<string, number>();
  const handledAt = new Map<string, number>();
  await bus.subscribe({ topics: [topicFor(context)], groupId: `bench.${context}`, fromBeginning: true }, async (d) => {
    handledAt.set(d.value.id, performance.now());
  });
  const relay = new Relay({
    name: `relay.${context}`,
    context,
    categories: ['dischargeCase'],
    store,
    checkpoints: store,
    bus,
    beforeCheckpoint: b.beforeCheckpoint(bus),
  });
  await relay.start();
  const measured: string[] = [];
  await paced(async (i, inWindow) => {
    const event = makeEvent(i);
    await store.appendToStream(`dischargeCase-${randomUUID()}`, [event], { expectedRevision: 'no_stream' });
    ackedAt.set(event.id, performance.now());
    if (inWindow) measured.push(event.id);
  });
  await waitFor('the last events to be handled', 10_000, () => measured.every((id) => handledAt.has(id))).catch(() => undefined);
  await relay.stop();
  await bus.close();
  await store.close();
  return latencies(measured, ackedAt, handledAt);
}

/** The bus alone: publish one message (awaited, as the relay does) → the consumer's handler is invoked. */
async function publishToHandler(b: BusUnderTest): Promise<LatencyResult> {
  const context = `bench-pub-${Date.now().toString(36)}`;
  const topic = topicFor(context);
  const bus = await b.create(context);
  const sentAt = new Map<string, number>();
  const handledAt = new Map<string, number>();
  const ackMs: number[] = [];
  await bus.subscribe({ topics: [topic], groupId: `bench.${context}`, fromBeginning: true }, async (d) => {
    handledAt.set(d.value.id, performance.now());
  });
  const measured: string[] = [];
  await paced(async (i, inWindow) => {
    const event = makeEvent(i);
    const key = randomUUID();
    const message: BusMessage = {
      topic,
      key,
      value: {
        ...event,
        schemaVersion: 1,
        streamId: `dischargeCase-${key}`,
        revision: 0,
        position: String(i),
        recordedAt: event.occurredAt,
      },
      headers: { 'event-id': event.id, 'event-type': event.type },
    };
    const t0 = performance.now();
    sentAt.set(event.id, t0);
    await bus.publish([message]);
    if (inWindow) {
      measured.push(event.id);
      ackMs.push(performance.now() - t0);
    }
  });
  await waitFor('the last messages to be handled', 10_000, () => measured.every((id) => handledAt.has(id))).catch(
    () => undefined,
  );
  await bus.close();
  return { ...latencies(measured, sentAt, handledAt), extra: ackMs };
}

function latencies(ids: string[], from: Map<string, number>, to: Map<string, number>): LatencyResult {
  const samples: number[] = [];
  let early = 0;
  let lost = 0;
  for (const id of ids) {
    const a = from.get(id);
    const b = to.get(id);
    if (a === undefined || b === undefined) {
      lost++;
      continue;
    }
    if (b < a) early++;
    samples.push(Math.max(0, b - a));
  }
  return { samples, early, lost };
}

// ---------------------------------------------------------------------------------------------------------------
// A real Kafka broker, through kafka.sh
// ---------------------------------------------------------------------------------------------------------------

const kafkajsVersion = (): string =>
  (JSON.parse(readFileSync(require.resolve('kafkajs/package.json'), 'utf8')) as { version: string }).version;

const onPath = (tool: string): boolean => spawnSync('bash', ['-c', `command -v ${tool}`]).status === 0;

function kafkaUnavailable(): string | undefined {
  if (!onPath('java')) return 'java is not on PATH (the broker needs a JDK 17)';
  const cache = spawnSync('bash', [KAFKA_SCRIPT, 'cache-dir'], { encoding: 'utf8' }).stdout.trim();
  if (!onPath('mvn') && !existsSync(join(cache, 'lib', '.complete'))) {
    return `mvn is not on PATH and the Kafka jars are not cached in ${cache}`;
  }
  return undefined;
}

const kafkaSh = (command: string, stateDir: string): Promise<string> =>
  new Promise((done, fail) => {
    execFile('bash', [KAFKA_SCRIPT, command], { env: { ...process.env, KAFKA_STATE_DIR: stateDir } }, (error, stdout, stderr) => {
      if (error)
        fail(
          new Error(`kafka.sh ${command}: ${error.message.split('\n')[0]} ${stderr.trim().split('\n').slice(-2).join(' | ')}`),
        );
      else done(stdout);
    });
  });

interface RunningBroker {
  brokers: string[];
  version: string;
  stop(): Promise<void>;
}

async function startBroker(): Promise<RunningBroker> {
  const stateDir = mkdtempSync(join(tmpdir(), 'toc-hub-bench-kafka-'));
  const stop = async (): Promise<void> => {
    await kafkaSh('stop', stateDir).catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  };
  // Never leave a JVM behind, even on Ctrl-C.
  const onSignal = (): void => {
    spawnSync('bash', [KAFKA_SCRIPT, 'kill'], { env: { ...process.env, KAFKA_STATE_DIR: stateDir } });
    rmSync(stateDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const status = (await kafkaSh('start', stateDir)).trim().split('\n').pop() ?? '';
    const match = /^running \d+ (\S+)$/.exec(status);
    if (!match) throw new Error(`kafka.sh start said: ${status}`);
    const cache = spawnSync('bash', [KAFKA_SCRIPT, 'cache-dir'], { encoding: 'utf8' }).stdout.trim();
    return { brokers: [match[1]], version: /kafka-([^/]+)$/.exec(cache)?.[1] ?? 'unknown', stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Until the broker serves a produce and a consumer-group join, clients log "group coordinator is not available". */
async function warmUp(b: BusUnderTest): Promise<void> {
  const context = 'bench-warmup';
  const bus = await b.create(context, true); // "coordinator is loading" errors are expected while it warms up
  let got = 0;
  await bus.subscribe({ topics: [topicFor(context)], groupId: 'bench.warmup', fromBeginning: true }, async () => {
    got++;
  });
  const event = makeEvent(0);
  const key = randomUUID();
  await bus.publish([
    {
      topic: topicFor(context),
      key,
      value: { ...event, schemaVersion: 1, streamId: `x-${key}`, revision: 0, position: '0', recordedAt: event.occurredAt },
      headers: {},
    },
  ]);
  await waitFor('the warm-up message', 60_000, () => got > 0);
  await bus.close();
}

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

interface Row {
  bus: string;
  measure: string;
  rate?: number;
  p50?: number;
  p99?: number;
  max?: number;
  n?: number;
  notes: string;
}

const ms = (n: number | undefined): string => (n === undefined ? '' : n < 10 ? n.toFixed(2) : n.toFixed(1));

const percentile = (sorted: number[], p: number): number | undefined =>
  sorted.length === 0 ? undefined : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

function latencyRow(bus: string, measure: string, r: { samples: number[] }, notes: string): Row {
  const sorted = [...r.samples].sort((a, b) => a - b);
  return {
    bus,
    measure,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    n: sorted.length,
    notes,
  };
}

function printRows(rows: Row[]): void {
  const header = ['bus', 'measure', 'events/s', 'p50 ms', 'p99 ms', 'max ms', 'n', 'notes'];
  const cells = rows.map((r) => [
    r.bus,
    r.measure,
    r.rate === undefined ? '' : fmt(r.rate),
    ms(r.p50),
    ms(r.p99),
    ms(r.max),
    r.n === undefined ? '' : fmt(r.n),
    r.notes,
  ]);
  printTable(header, cells, [0, 1]);
}

async function benchBus(b: BusUnderTest, fresh: (name: string) => string, rows: Row[]): Promise<void> {
  const progress = (what: string): void => {
    process.stderr.write(`  ${b.label}: ${what}…\n`);
  };
  progress(`relay drains a backlog of ${fmt(EVENTS)} events`);
  const t = await relayThroughput(b, fresh(`${b.label}-relay`));
  rows.push({
    bus: b.label,
    measure: 'relay: store → bus (backlog)',
    rate: t.events / t.relaySeconds,
    n: t.events,
    notes:
      `${fmt(t.events)} events in ${t.relaySeconds.toFixed(2)} s, ${fmt(t.batches)} publishes+checkpoints (max 500 each)` +
      (b === inProcess ? ', each after the consumer went idle (as the app does)' : ''),
  });
  rows.push({
    bus: b.label,
    measure: 'consumer: the same backlog → handler',
    rate: t.consumed / t.consumedSeconds,
    n: t.consumed,
    notes:
      t.consumed >= t.events
        ? `one consumer group, no-op handler: all ${fmt(t.events)} handled ${t.consumedSeconds.toFixed(2)} s after the relay started`
        : `one consumer group, no-op handler: only ${fmt(t.consumed)} of ${fmt(t.events)} handled ${t.consumedSeconds.toFixed(2)} s after ` +
          `the relay started (watched for ${CONSUMER_WINDOW_MS / 1000} s after the relay finished)`,
  });

  progress(`append → handler at ${RATE}/s for ${MEASURE_MS / 1000} s`);
  const e2e = await appendToHandler(b, fresh(`${b.label}-live`));
  rows.push(
    latencyRow(
      b.label,
      'append acked → handler',
      e2e,
      `store commit (synchronous=FULL) acknowledged → relay reads → publish → handler invoked; ${RATE}/s` +
        (e2e.early ? `; ${e2e.early} handled before the writer resumed (counted as 0)` : '') +
        (e2e.lost ? `; ${e2e.lost} NOT HANDLED within 10 s` : ''),
    ),
  );

  progress(`publish → handler at ${RATE}/s for ${MEASURE_MS / 1000} s`);
  const pub = await publishToHandler(b);
  rows.push(
    latencyRow(
      b.label,
      'publish → handler',
      pub,
      `publish() called → handler invoked; one message per publish, awaited, ${RATE}/s` +
        (pub.early ? `; ${pub.early} handled before publish() resolved` : '') +
        (pub.lost ? `; ${pub.lost} NOT HANDLED within 10 s` : ''),
    ),
  );
  rows.push(
    latencyRow(b.label, 'publish → publish() resolves', { samples: pub.extra ?? [] }, 'the acknowledgement the relay waits for'),
  );
}

async function main(): Promise<void> {
  const { dir, fresh } = benchFiles('bus-');
  const began = performance.now();

  console.log('Integration bus: relay throughput (store → bus) and publish-to-consume latency');
  console.log(`machine: ${machine()}; load average at start ${loadAverage()}`);
  console.log(`store: SqliteEventStore, WAL, synchronous=FULL (the app's default), fresh file per measurement in ${dir}`);
  console.log(`event: ~${EVENT_BYTES} B of JSON on the bus; one event per stream, keyed by aggregate id`);
  console.log(
    `runs: relay backlog ${fmt(EVENTS)} events (BENCH_EVENTS); latency runs paced at ${RATE}/s (BENCH_RATE) for ` +
      `${MEASURE_MS / 1000} s (BENCH_SECONDS) after ${WARMUP_MS} ms of warm-up`,
  );

  const rows: Row[] = [];
  const notes: string[] = [`in-process: ${inProcess.settings}`];
  try {
    await benchBus(inProcess, fresh, rows);

    const unavailable = kafkaUnavailable();
    if (unavailable) {
      notes.push(`kafka: SKIPPED: ${unavailable}`);
      rows.push({ bus: 'kafka', measure: '(skipped)', notes: unavailable });
    } else {
      process.stderr.write('  kafka: starting a single-node KRaft broker (kafka.sh)…\n');
      let broker: RunningBroker | undefined;
      try {
        const startedAt = performance.now();
        broker = await startBroker();
        const k = kafka(broker.brokers);
        await warmUp(k);
        notes.push(
          `kafka: Apache Kafka ${broker.version} (single node, KRaft, local disk, default flush settings) at ${broker.brokers[0]}, ` +
            `ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s; kafkajs ${kafkajsVersion()}; ${k.settings}`,
        );
        await benchBus(k, fresh, rows);
        const consumer = rows.find((r) => r.bus === 'kafka' && r.measure.startsWith('consumer'));
        if (consumer && (consumer.n ?? 0) < EVENTS) {
          notes.push(
            'kafka consumer: KafkaBus commits each offset after its handler, and each OffsetCommit waits out the Kafka 4 group ' +
              "coordinator's append linger (group.coordinator.append.linger.ms; kafka.sh leaves the default): that, not the " +
              'handler, bounds one group. Latencies above are at a rate below that bound.',
          );
        }
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        notes.push(`kafka: SKIPPED after an error: ${why}`);
        rows.push({ bus: 'kafka', measure: '(failed)', notes: why });
      } finally {
        await broker?.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log('');
  printRows(rows);
  console.log('');
  for (const note of notes) console.log(note);
  console.log(
    'append acked → handler: from appendToStream() resolving (durable) to the handler being invoked, through the relay; ' +
      'publish → handler: the bus alone. Latencies are wall-clock in one process (performance.now()).',
  );
  console.log(`total ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
