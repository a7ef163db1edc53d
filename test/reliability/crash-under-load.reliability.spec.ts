/**
 * kill -9 under load. A real standalone process (the built app, SQLite FULL with group commit) on a temp DATA_DIR
 * takes a few hundred concurrent referral, pathway, capacity-return and reservation commands, each with an
 * Idempotency-Key, and is killed mid-load. After a restart:
 *   - every command that got a 2xx is in the store (opened read-only), at the position and revision it was told;
 *   - every command whose connection was cut converges when retried with the same key, and a second retry of any
 *     command gets the first response again (Idempotent-Replayed), with nothing written twice;
 *   - the projections (restarted from their snapshots plus the tail) equal a rebuild: a second process on a copy of
 *     the data dir without its snapshot file.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  Client,
  copyStore,
  is2xx,
  openStore,
  quiescent,
  runWorkers,
  sleep,
  startStandalone,
  type Sent,
  type Standalone,
} from './support/standalone';
import {
  aCapacityReturn,
  aPathway,
  aReferral,
  HUB,
  key,
  PROVIDER,
  PROVIDER_ID,
  PROVIDER_LOCALITIES,
  WARD,
} from './support/workload';

jest.setTimeout(180_000);

const SEEDED_CASES = 160;
const RESERVED_IN_SEED = 40;
const NEW_REFERRALS = 240;
const CAPACITY_RETURNS = 120;
const CONCURRENCY = 200;

describe('kill -9 under load', () => {
  const dirs: string[] = [];
  const apps: Standalone[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'toc-reliability-crash-'));
    dirs.push(dir);
    return dir;
  };
  const start = async (dir: string) => {
    const app = await startStandalone(dir);
    apps.push(app);
    return app;
  };

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.ensureDead()));
    if (process.env.KEEP_RELIABILITY_DATA !== '1') for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged command, converges retries of cut ones, and restarts with projections equal to a rebuild', async () => {
    const dir = tempDir();

    // Given: cases referred, some assigned P2 so their bed requests are open, and snapshots taken on a clean stop.
    const seeding = await start(dir);
    const seedClient = new Client(seeding.url);
    await seedClient.signIn(WARD, HUB, PROVIDER);
    const caseIds: string[] = [];
    for (let n = 0; n < SEEDED_CASES; n++) {
      const reply = await seedClient.post(WARD, '/api/discharge-cases', aReferral(n), key());
      expect(reply.status).toBe(201);
      caseIds.push(reply.body.caseId);
    }
    for (const caseId of caseIds.slice(0, RESERVED_IN_SEED)) {
      expect((await seedClient.post(HUB, `/api/discharge-cases/${caseId}/pathway`, aPathway(2), key())).status).toBe(200);
    }
    const requests = await eventually(async () => {
      const open: Array<{ requestId: string; caseId: string }> = await seedClient.ok(HUB, '/api/bed-base/requests');
      if (open.length < RESERVED_IN_SEED) throw new Error(`${open.length} bed requests open`);
      return open;
    });
    // One bed each, from each request's recommendation.
    const reservations: Array<{ requestId: string; bedId: string }> = [];
    const taken = new Set<string>();
    for (const request of requests) {
      const recommendation = await seedClient.ok(HUB, `/api/bed-base/requests/${request.requestId}/recommendation`);
      const bed = (recommendation.ranked as Array<{ bedId: string }>).find((b) => !taken.has(b.bedId));
      if (!bed) continue;
      taken.add(bed.bedId);
      reservations.push({ requestId: request.requestId, bedId: bed.bedId });
    }
    expect(reservations.length).toBeGreaterThan(10);
    seeding.kill('SIGTERM');
    await seeding.exited;
    const snapshots = new Database(join(dir, 'snapshots.sqlite'), { readonly: true });
    const snapshotted = snapshots.prepare('SELECT count(DISTINCT projection) AS n FROM snapshots').get() as { n: number };
    snapshots.close();
    expect(snapshotted.n).toBeGreaterThanOrEqual(5);

    // When: a few hundred concurrent commands, and kill -9 once half of them have been answered.
    const loaded = await start(dir);
    const client = new Client(loaded.url);
    await client.signIn(WARD, HUB, PROVIDER);
    const jobs: Array<Omit<Sent, 'reply' | 'error'>> = [];
    for (let n = 0; n < NEW_REFERRALS; n++)
      jobs.push({ user: WARD, path: '/api/discharge-cases', body: aReferral(1000 + n, 1 + (n % 2)), key: key() });
    caseIds
      .slice(RESERVED_IN_SEED)
      .forEach((caseId, n) =>
        jobs.push({ user: HUB, path: `/api/discharge-cases/${caseId}/pathway`, body: aPathway(n % 3 === 0 ? 1 : 2), key: key() }),
      );
    for (let n = 0; n < CAPACITY_RETURNS; n++) {
      const locality = PROVIDER_LOCALITIES[n % 2];
      jobs.push({
        user: PROVIDER,
        path: `/api/home-care/providers/${PROVIDER_ID}/capacity`,
        body: aCapacityReturn(n, locality, (n >> 1) % 15),
        key: key(),
      });
    }
    for (const { requestId, bedId } of reservations) {
      jobs.push({
        user: HUB,
        path: `/api/bed-base/requests/${requestId}/reservations`,
        body: { bedId, expiresInHours: 24 },
        key: key(),
      });
    }
    shuffle(jobs);
    const results: Sent[] = [];
    let answered = 0;
    let killedAt = -1;
    let i = 0;
    await runWorkers(
      CONCURRENCY,
      () => (i < jobs.length ? jobs[i++] : undefined),
      async (job) => {
        const sent = await client.send(job);
        results.push(sent);
        if (sent.reply && ++answered >= jobs.length / 2 && killedAt < 0) {
          killedAt = answered;
          loaded.kill('SIGKILL');
        }
      },
    );
    await loaded.exited;
    const acknowledged = results.filter(is2xx);
    const cut = results.filter((r) => r.error !== undefined);
    const refused = results.filter((r) => r.reply && !is2xx(r));
    console.log(
      `kill -9 after ${killedAt} answers: ${results.length} commands, ${acknowledged.length} acknowledged (2xx), ` +
        `${refused.length} refused (${summarise(refused.map((r) => `${r.reply!.status} ${r.reply!.body?.code ?? ''}`))}), ` +
        `${cut.length} cut (${summarise(cut.map((r) => r.error!))})`,
    );
    expect(acknowledged.length).toBeGreaterThan(100);
    expect(cut.length).toBeGreaterThan(20);
    // Refusals under load are domain answers (a raced ledger), never server errors.
    expect(refused.filter((r) => r.reply!.status >= 500)).toEqual([]);

    // Then (1): after a restart every acknowledged command is in the store, where it was told it was.
    const restarted = await start(dir);
    console.log(`restart after kill -9: ready in ${restarted.startedInMs} ms`);
    const db = openStore(dir);
    const byId = db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?');
    const missing: string[] = [];
    const reservationEvent = db.prepare(
      "SELECT count(*) AS n FROM events WHERE stream_id = ? AND type = ? AND json_extract(data, '$.reservationId') = ?",
    );
    for (const sent of acknowledged) {
      if (sent.path.endsWith('/reservations')) {
        // A reservation answers with its id: the bed's hold and the request's record of it are both stored.
        const { reservationId, requestId, bedId } = sent.reply!.body as {
          reservationId: string;
          requestId: string;
          bedId: string;
        };
        const held = reservationEvent.get(`bed-${bedId}`, 'BedReserved', reservationId) as { n: number };
        const recorded = reservationEvent.get(`bedRequest-${requestId}`, 'BedRequestReservationRecorded', reservationId) as {
          n: number;
        };
        if (held.n !== 1 || recorded.n !== 1) missing.push(`reservation ${reservationId}: bed ${held.n}, request ${recorded.n}`);
        continue;
      }
      const body = sent.reply!.body as {
        streamId: string;
        position: string | null;
        events: Array<{ id: string; revision: number }>;
      };
      for (const event of body.events) {
        const rows = byId.all(event.id) as Array<{ stream_id: string; revision: number; position: number }>;
        if (rows.length !== 1 || rows[0].stream_id !== body.streamId || rows[0].revision !== event.revision) {
          missing.push(`${sent.path} ${event.id}: ${JSON.stringify(rows)}`);
        }
      }
      if (body.events.length > 0 && body.position !== null) {
        const last = body.events[body.events.length - 1];
        expect(String((byId.get(last.id) as { position: number }).position)).toBe(body.position);
      }
    }
    expect(missing).toEqual([]);

    // Then (2): each cut command, retried with its key, converges; a second retry of every command gets the first
    // answer again and writes nothing.
    const again = new Client(restarted.url);
    await again.signIn(WARD, HUB, PROVIDER);
    const settled: Sent[] = [...acknowledged];
    for (const sent of cut) {
      const retried = await again.send(sent);
      expect({ path: sent.path, status: retried.reply?.status, body: retried.reply?.body }).toMatchObject({
        status: expect.any(Number),
      });
      if (!is2xx(retried))
        throw new Error(`retry of a cut ${sent.path} got ${retried.reply?.status}: ${JSON.stringify(retried.reply?.body)}`);
      settled.push(retried);
    }
    const headBefore = (db.prepare('SELECT max(position) AS p FROM events').get() as { p: number }).p;
    await quiescent(dir, 1000);
    const head = (db.prepare('SELECT max(position) AS p FROM events').get() as { p: number }).p;
    const replays: Array<{ path: string; first: unknown; replay: unknown; replayed: string | null }> = [];
    await runWorkers(
      32,
      () => settled.pop(),
      async (sent) => {
        const replay = await again.send(sent);
        replays.push({
          path: sent.path,
          first: sent.reply!.body,
          replay: replay.reply?.body,
          replayed: replay.reply?.headers.get('idempotent-replayed') ?? null,
        });
        expect(replay.reply?.status).toBe(sent.reply!.status);
      },
    );
    // Reservations span two streams, so the bed base answers a retried reservation from the bed's own holder: the
    // same body (the first expiresAt) and Idempotent-Replayed, like every other command.
    for (const r of replays)
      expect({ path: r.path, body: r.replay, replayed: r.replayed }).toEqual({ path: r.path, body: r.first, replayed: 'true' });
    console.log(`replayed ${replays.length} commands with the first answer (Idempotent-Replayed: true)`);
    expect((db.prepare('SELECT max(position) AS p FROM events').get() as { p: number }).p).toBe(head);
    expect(headBefore).toBeLessThanOrEqual(head);
    // Nothing twice: no event id repeats, and one referral event per referral command.
    expect(db.prepare('SELECT event_id, count(*) AS n FROM events GROUP BY event_id HAVING n > 1').all()).toEqual([]);
    const count = (type: string) => (db.prepare('SELECT count(*) AS n FROM events WHERE type = ?').get(type) as { n: number }).n;
    expect(count('ReferralSubmitted')).toBe(SEEDED_CASES + NEW_REFERRALS);
    expect(count('PathwayAssigned')).toBe(SEEDED_CASES);
    expect(count('BedRequestOpened')).toBe(count('BedRequestRaised'));

    // Then (3): the projections after the restart equal a rebuild from the same store with no snapshot.
    await quiescent(dir, 1500);
    const copy = tempDir();
    await copyStore(dir, copy);
    for (const file of ['identity.sqlite', 'audit.sqlite']) {
      const source = new Database(join(dir, file), { readonly: true });
      await source.backup(join(copy, file));
      source.close();
    }
    for (const file of ['master.key', 'dev-issuer-key.json']) copyFileSync(join(dir, file), join(copy, file));
    const rebuilt = await start(copy);
    const fresh = new Client(rebuilt.url);
    await fresh.signIn(HUB);
    const views = [
      '/api/hub/kpis',
      '/api/hub/pathway-shares',
      '/api/bed-base/summary',
      '/api/bed-base/beds',
      `/api/home-care/ledger?days=15`,
      '/api/discharge-cases',
    ];
    const caughtUp = Date.now();
    const differed = new Map<string, number>();
    const compared = await eventually(async () => {
      const live: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
      const rebuild: unknown[] = [];
      for (const view of views) {
        // The KPI sections say when they were read (`at`: the request's own now); everything else must match.
        const [a, b] = (await Promise.all([again.ok(HUB, view), fresh.ok(HUB, view)])).map(withoutReadTimes);
        if (JSON.stringify(a) !== JSON.stringify(b)) differed.set(view, (differed.get(view) ?? 0) + 1);
        live.push(a);
        rebuild.push(b);
      }
      expect(live).toEqual(rebuild);
      return live;
    }, 60_000);
    if (differed.size > 0)
      console.log(`views that differed before both caught up: ${summarise([...differed].map(([v, n]) => `${v} ${n}`))}`);
    console.log(
      `rebuild without snapshots: ready in ${rebuilt.startedInMs} ms, views equal to the restarted process within ${Date.now() - caughtUp} ms ` +
        `(kpis at position ${compared[0].position}, store head ${head}, ${compared[5].length ?? compared[5].items?.length} cases listed)`,
    );
    db.close();
  });
});

/** Drops `at` (the instant a section was read, i.e. the request's now) wherever it appears. */
function withoutReadTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutReadTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([name]) => name !== 'at')
      .map(([name, v]) => [name, withoutReadTimes(v)]),
  );
}

function shuffle<T>(items: T[]) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

function summarise(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n}× ${v}`).join(', ') || 'none';
}

async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}
