/**
 * The standalone process on a real Kafka broker (BUS=kafka), with the broker stopped and started again mid-load.
 * P2 assignments go through Kafka twice before they become bed requests (PathwayAssigned → RaiseBedRequest on the
 * case's index → BedRequestRaised → OpenBedRequest), so a lost or doubly applied message shows up as a missing or
 * extra request. Required: every command is acknowledged throughout (the store is the source of truth, the relay
 * catches up), no message is lost (one bed request per P2 assignment, all open), none is applied twice (no event
 * twice, no request raised twice), nothing is parked, and every relay's checkpoint reaches its head.
 *
 * Without Java (or Maven, before the jars are cached) it is skipped loudly, unless CI=true or REQUIRE_KAFKA=1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKafka, startKafka, type KafkaBroker } from '../support/kafka/broker';
import {
  Client,
  is2xx,
  openStore,
  quiescent,
  runWorkers,
  sleep,
  startStandalone,
  type Sent,
  type Standalone,
} from './support/standalone';
import { describeRelays, relayPositions } from './support/relays';
import { aPathway, aReferral, HUB, key, WARD } from './support/workload';

jest.setTimeout(240_000);

/** At least this many cases; the load runs on until the broker is back. */
const CASES = 240;
const CONCURRENCY = 16;
/** Each worker's pause between cases: about 60 cases a second in all. */
const PACE_MS = 250;

describeKafka('BUS=kafka when the broker restarts mid-load', () => {
  let broker: KafkaBroker | undefined;
  let app: Standalone | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'toc-reliability-kafka-'));
    broker = await startKafka();
  }, 180_000);

  afterAll(async () => {
    await app?.ensureDead();
    await broker?.stop();
    if (process.env.KEEP_RELIABILITY_DATA !== '1') rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('loses no message and applies none twice: exactly one bed request per P2 assignment', async () => {
    app = await startStandalone(dir, { BUS: 'kafka', KAFKA_BROKERS: broker!.brokers.join(','), KAFKA_PARTITIONS: '3' }, 120_000);
    const client = new Client(app.url);
    await client.signIn(WARD, HUB);

    // When: concurrent workers refer cases and assign them P2 at a steady pace; once a fifth of the load is in, the
    // broker is stopped and started again, and the load goes on until it is back and at least CASES are assigned.
    const results: Sent[] = [];
    let n = 0;
    let assigned = 0;
    let restart: Promise<void> | undefined;
    let back = false;
    let downMs = 0;
    let duringOutage = 0;
    await runWorkers(
      CONCURRENCY,
      () => (n < CASES || !back ? n++ : undefined),
      async (i) => {
        const referral = await client.send({ user: WARD, path: '/api/discharge-cases', body: aReferral(i, 2), key: key() });
        results.push(referral);
        if (!is2xx(referral)) return;
        const caseId = referral.reply!.body.caseId as string;
        results.push(
          await client.send({ user: HUB, path: `/api/discharge-cases/${caseId}/pathway`, body: aPathway(2), key: key() }),
        );
        if (restart && !back) duringOutage++;
        if (++assigned === Math.floor(CASES / 5)) {
          const stoppedAt = Date.now();
          restart = broker!.restart().then(() => {
            downMs = Date.now() - stoppedAt;
            back = true;
          });
        }
        await sleep(PACE_MS);
      },
    );
    await restart;
    const total = assigned;
    console.log(`broker stopped and back in ${downMs} ms; ${total} cases assigned P2, ${duringOutage} of them while it was away`);
    expect(duringOutage).toBeGreaterThan(0);

    // Then: every command was acknowledged, the broker's outage notwithstanding.
    expect(results.filter((r) => !is2xx(r)).map((r) => `${r.path}: ${r.reply?.status ?? r.error}`)).toEqual([]);

    // Then: every P2 assignment became exactly one open bed request.
    const db = openStore(dir);
    try {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      const p2 = () =>
        count(`SELECT count(*) AS n FROM events WHERE type = 'PathwayAssigned' AND json_extract(data, '$.pathway') = 2`);
      const opened = () => count(`SELECT count(*) AS n FROM events WHERE type = 'BedRequestOpened'`);
      const caughtUpAt = Date.now();
      for (let last = -1; opened() < p2();) {
        if (Date.now() - caughtUpAt > 120_000) throw new Error(`only ${opened()} of ${p2()} bed requests opened after 120 s`);
        if (opened() !== last) last = opened();
        await sleep(250);
      }
      console.log(`all ${p2()} bed requests opened ${Date.now() - caughtUpAt} ms after the load ended`);
      await quiescent(dir, 3000, 60_000);
      expect(p2()).toBe(total);
      expect(count(`SELECT count(*) AS n FROM events WHERE type = 'BedRequestRaised'`)).toBe(total);
      expect(opened()).toBe(total);
      expect(count(`SELECT count(DISTINCT stream_id) AS n FROM events WHERE type = 'BedRequestOpened'`)).toBe(total);
      expect(db.prepare('SELECT event_id, count(*) AS n FROM events GROUP BY event_id HAVING n > 1').all()).toEqual([]);
      // The request is the case's: one per case, from its own assignment.
      expect(
        count(`SELECT count(DISTINCT json_extract(data, '$.caseId')) AS n FROM events WHERE type = 'BedRequestOpened'`),
      ).toBe(total);

      // Nothing parked, every request open on the board, and every relay checkpoint at its head.
      expect(await client.ok(HUB, '/api/hub/parked-messages')).toEqual([]);
      expect(await client.ok(HUB, '/api/bed-base/requests')).toHaveLength(total);
      const relays = relayPositions(db);
      console.log(`relay checkpoints (checkpoint/head): ${describeRelays(relays)}`);
      for (const relay of relays) expect(relay).toEqual({ ...relay, checkpoint: relay.head });
    } finally {
      db.close();
    }
  });
});
