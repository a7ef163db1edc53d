import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { generateKeyPair, SignJWT } from 'jose';
import { io, type Socket } from 'socket.io-client';
import { LIVE_FEED_OPTIONS } from '@app/hub';
import { DEV_AUDIENCE, DEV_ISSUER } from '@app/platform';
import { londonDate } from '@app/time';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../support/app';
import { bedBaseApi } from './bed-base/bed-base-api';

// The live feed over a real socket: handshake auth, who may follow what, leading-edge pushes, coalesced bursts.

interface Update {
  room: string;
  view: string;
  area: string | null;
  trust: string | null;
  data: {
    position: string | null;
    today?: { counts: number[]; total: number };
    total?: number;
    cases?: Array<Record<string, unknown>>;
    // bed-board, capacity and kpis rooms
    rows?: Array<{ bedId: string; status: string; caseId: string | null }>;
    summary?: { total: { reserved: number } };
    providers?: Array<{ providerId: string; localities: Array<{ locality: string; days: Array<{ declaredHours: number }> }> }>;
    byLocality?: unknown;
    bedBase?: { openRequests: { total: number | 'suppressed' }; longStays: { stays?: unknown } };
    [more: string]: unknown;
  };
}
type Ack = { ok: true; room: string } | { error: { code: string; message: string } };

function nhsNumber(): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? randomInt(1, 10) : randomInt(0, 10)));
    const check = 11 - (digits.reduce((acc, d, i) => acc + d * (10 - i), 0) % 11);
    if (check !== 10) return [...digits, check === 11 ? 0 : check].join('');
  }
}

const referral = (at: { hospital: string; ward: string; area: string }) => ({
  patient: { nhsNumber: nhsNumber(), givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1940-12-10', postcode: 'TA1 2AB' },
  ...at,
  admittedOn: '2026-11-16',
  usualResidence: 'own-home',
  proposedPathway: 1,
  needs: {
    mobility: 'walking-aid',
    cognition: 'no-concerns',
    careHoursPerWeek: 14,
    equipment: ['commode'],
    specialist: {
      bariatric: false,
      dementia: false,
      endOfLife: false,
      opmh: false,
      sideRoom: false,
      sexForBayAllocation: 'no-requirement',
    },
  },
});
const MUSGROVE = { hospital: 'RH5', ward: 'RH5A8-ELIOT', area: 'SEDGEMOOR' };
const YEOVIL = { hospital: 'RA4', ward: 'RA430-W7', area: 'SOUTH_SOMERSET' };

/** A Nest root that runs the standalone app with a given coalescing window. */
function withWindow(windowMs: number) {
  @Global()
  @Module({ providers: [{ provide: LIVE_FEED_OPTIONS, useValue: { windowMs } }], exports: [LIVE_FEED_OPTIONS] })
  class LiveFeedWindow {}
  @Module({})
  class Root {}
  return (options: Parameters<typeof StandaloneModule.forRoot>[0]): DynamicModule => ({
    module: Root,
    imports: [StandaloneModule.forRoot(options), LiveFeedWindow],
  });
}

class Feed {
  readonly updates: Array<Update & { at: number }> = [];
  private waiters: Array<{ test: (u: Update) => boolean; resolve: (u: Update & { at: number }) => void }> = [];

  constructor(readonly socket: Socket) {
    socket.on('update', (update: Update) => {
      const received = { ...update, at: performance.now() };
      this.updates.push(received);
      this.waiters = this.waiters.filter((w) => (w.test(update) ? (w.resolve(received), false) : true));
    });
  }

  subscribe(request: object): Promise<Ack> {
    return this.socket.timeout(5_000).emitWithAck('subscribe', request);
  }

  /** The first update from `since` on (by default, from now) that passes `test`. */
  next(test: (u: Update) => boolean, { since = this.updates.length, timeoutMs = 10_000 } = {}): Promise<Update & { at: number }> {
    const already = this.updates.slice(since).find(test);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such update arrived')), timeoutMs);
      this.waiters.push({ test, resolve: (u) => (clearTimeout(timer), resolve(u)) });
    });
  }
}

function describeFeed(windowMs: number, suite: (ctx: { t: () => TestApp; url: () => string; open: OpenFeed }) => void) {
  let t: TestApp;
  let url: string;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    t = await startTestApp(withWindow(windowMs));
    url = await t.listen();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.destroy();
  });
  const open: OpenFeed = async (auth, options = {}) => {
    const socket = io(`${url}/live`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, ...options });
    sockets.push(socket);
    const feed = new Feed(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return feed;
  };
  suite({ t: () => t, url: () => url, open });
}
type OpenFeed = (auth: Record<string, unknown>, options?: Parameters<typeof io>[1]) => Promise<Feed>;

async function tokenOf(t: TestApp, userId: string) {
  return (await t.as(userId)).authorization.slice('Bearer '.length);
}

/** Refers a case and assigns pathway 1, ready to be discharged. */
async function aCaseReadyToLeave(t: TestApp, at = MUSGROVE): Promise<string> {
  const ward = await t.as(at === MUSGROVE ? 'ward.musgrove' : 'ward.yeovil');
  const hub = await t.as('hub.coordinator');
  const submitted = await t.app.inject({ method: 'POST', url: '/api/discharge-cases', payload: referral(at), headers: ward });
  expect(submitted.statusCode).toBe(201);
  const { caseId } = submitted.json();
  const assigned = await t.app.inject({
    method: 'POST',
    url: `/api/discharge-cases/${caseId}/pathway`,
    payload: { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: false },
    headers: hub,
  });
  expect(assigned.statusCode).toBeLessThan(300);
  return caseId;
}

async function discharge(t: TestApp, caseId: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/discharge-cases/${caseId}/discharge`,
    payload: { dischargedAt: new Date().toISOString(), destination: '19' },
    headers: await t.as('hub.coordinator'),
  });
  expect(response.statusCode).toBeLessThan(300);
}

async function sharesOverHttp(t: TestApp) {
  const response = await t.app.inject({ method: 'GET', url: '/api/hub/pathway-shares', headers: await t.as('hub.coordinator') });
  return response.json() as { today: { counts: number[]; total: number } };
}

jest.setTimeout(30_000);

const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const report = (line: string) => process.env.LIVE_FEED_TIMINGS && process.stdout.write(`live-feed: ${line}\n`);

// A long window, so that a push on the leading edge and one at the end of the window cannot be confused.
const LONG_WINDOW_MS = 2_000;

describe(`live feed (window ${LONG_WINDOW_MS} ms)`, () => {
  describeFeed(LONG_WINDOW_MS, ({ t, url, open }) => {
    it('refuses a handshake without a token, with a forged one, or with one in the URL', async () => {
      const refusal = async (auth: Record<string, unknown>, options = {}) => {
        const socket = io(`${url()}/live`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, ...options });
        try {
          return await new Promise<Error & { data?: { reason: string } }>((resolve, reject) => {
            socket.once('connect', () => reject(new Error('connected')));
            socket.once('connect_error', resolve);
          });
        } finally {
          socket.disconnect();
        }
      };
      const { privateKey } = await generateKeyPair('ES256');
      const forged = await new SignJWT({ toc_role: 'hub', toc_org: 'TOCH' })
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject('hub.coordinator')
        .setExpirationTime('5m')
        .sign(privateKey);
      const valid = await tokenOf(t(), 'hub.coordinator');

      expect(await refusal({})).toMatchObject({
        message: 'unauthorised',
        data: { reason: expect.stringContaining('auth.token') },
      });
      expect(await refusal({ token: forged })).toMatchObject({ message: 'unauthorised' });
      expect(await refusal({ token: `${valid.slice(0, -4)}AAAA` })).toMatchObject({ message: 'unauthorised' });
      expect(await refusal({}, { query: { token: valid } })).toMatchObject({
        message: 'unauthorised',
        data: { reason: expect.stringContaining('not accepted in the URL') },
      });
      // The default transport (long-polling, then upgrade) works through the Fastify server too.
      const feed = await open({ token: valid }, { transports: ['polling', 'websocket'] });
      expect(feed.socket.connected).toBe(true);
    });

    it('lets a leader follow pathway-shares and refuses it the case list, naming the rule', async () => {
      const leader = await open({ token: await tokenOf(t(), 'leader.ics') });
      const first = leader.next((u) => u.view === 'pathway-shares');

      // A leader's figures are suppressed (small counts), so leaders share a room of their own.
      expect(await leader.subscribe({ view: 'pathway-shares' })).toEqual({ ok: true, room: 'view:pathway-shares:aggregate' });
      expect((await first).data).toMatchObject({
        today: { basis: 'referred-discharges' },
        asOf: null,
        suppression: { threshold: 5 },
      });
      expect(await leader.subscribe({ view: 'case-list' })).toEqual({
        error: { code: 'VIEW_NOT_PERMITTED', message: expect.stringContaining('never sent to leaders or providers') },
      });
      const provider = await open({ token: await tokenOf(t(), 'provider.mendip-care') });
      expect(await provider.subscribe({ view: 'case-list' })).toMatchObject({ error: { code: 'VIEW_NOT_PERMITTED' } });
      leader.socket.disconnect();
    });

    it('gives a ward its own trust’s cases only, with no personal data', async () => {
      const musgrove = await open({ token: await tokenOf(t(), 'ward.musgrove') });
      expect(await musgrove.subscribe({ view: 'case-list' })).toEqual({ ok: true, room: 'view:case-list:trust:RH5' });
      const hub = await open({ token: await tokenOf(t(), 'hub.coordinator') });
      expect(await hub.subscribe({ view: 'case-list' })).toEqual({ ok: true, room: 'view:case-list' });

      const [hubSince, musgroveSince] = [hub.updates.length, musgrove.updates.length];
      const yeovilCase = await aCaseReadyToLeave(t(), YEOVIL);
      await hub.next((u) => u.data.cases!.some((c) => c.caseId === yeovilCase), { since: hubSince });
      const musgroveCase = await aCaseReadyToLeave(t(), MUSGROVE);
      const seen = await musgrove.next((u) => u.data.cases!.some((c) => c.caseId === musgroveCase && c.pathway === 1), {
        since: musgroveSince,
      });

      expect(seen.data.cases!.every((c) => c.hospital === 'RH5')).toBe(true);
      expect(musgrove.updates.flatMap((u) => u.data.cases!).some((c) => c.caseId === yeovilCase)).toBe(false);
      expect(Object.keys(seen.data.cases![0]).sort()).toEqual(
        ['caseId', 'followUpDue', 'hospital', 'lastChangedAt', 'pathway', 'revision', 'status'].sort(),
      );
      const everything = JSON.stringify([...musgrove.updates, ...hub.updates]);
      expect(everything).not.toMatch(/Lovelace|Ada|1940-12-10|TA1 2AB|patient/i);
      musgrove.socket.disconnect();
      hub.socket.disconnect();
    });

    it('pushes a single change on the leading edge, long before the window ends', async () => {
      const hub = await open({ token: await tokenOf(t(), 'hub.coordinator') });
      const initial = hub.next(() => true);
      expect(await hub.subscribe({ view: 'pathway-shares' })).toMatchObject({ ok: true });
      const before = (await initial).data.today!.total;
      const caseId = await aCaseReadyToLeave(t());

      const arrived = hub.next((u) => u.data.today!.total === before + 1, { timeoutMs: LONG_WINDOW_MS * 3 });
      const sent = performance.now();
      await discharge(t(), caseId);
      const answered = performance.now();
      const update = await arrived;

      report(
        `leading edge: update ${(update.at - sent).toFixed(1)} ms after the POST was sent, ` +
          `${(update.at - answered).toFixed(1)} ms after its 2xx (window ${LONG_WINDOW_MS} ms)`,
      );
      expect(update.at - sent).toBeLessThan(LONG_WINDOW_MS / 2);
      expect(update.data.today!.counts[1]).toBeGreaterThanOrEqual(1);
      hub.socket.disconnect();
    });

    it('coalesces a burst into a few updates, the last with the final counts', async () => {
      const N = 30;
      const cases: string[] = [];
      for (let i = 0; i < N; i++) cases.push(await aCaseReadyToLeave(t()));
      // A room of its own, so no earlier window is open; every case here is in Sedgemoor.
      const hub = await open({ token: await tokenOf(t(), 'hub.coordinator') });
      const initial = hub.next(() => true);
      expect(await hub.subscribe({ view: 'pathway-shares', area: 'SEDGEMOOR' })).toMatchObject({
        ok: true,
        room: 'view:pathway-shares:area:SEDGEMOOR',
      });
      const before = (await initial).data.today!.counts;
      const pushed = hub.updates.length;

      const started = performance.now();
      for (const caseId of cases) await discharge(t(), caseId);
      const burstMs = performance.now() - started;
      const final = await hub.next((u) => u.data.today!.counts[1] === before[1] + N, {
        since: pushed,
        timeoutMs: LONG_WINDOW_MS * 3,
      });
      await quietFor(LONG_WINDOW_MS + 200);

      const updates = hub.updates.slice(pushed);
      report(`burst (window ${LONG_WINDOW_MS} ms): ${N} discharges over ${burstMs.toFixed(0)} ms → ${updates.length} updates`);
      expect(updates.length).toBeLessThanOrEqual(Math.ceil(burstMs / LONG_WINDOW_MS) + 2);
      expect(updates.length).toBeLessThan(N / 5);
      expect(updates.at(-1)).toEqual(final);
      expect(final.data.today!.counts).toEqual((await sharesOverHttp(t())).today.counts);
      hub.socket.disconnect();
    });

    it('pushes a bed reserved over HTTP to the hub’s board on the leading edge, and only the summary to leaders and wards', async () => {
      const api = bedBaseApi(t());
      const caseId = await api.p2Case({ area: 'MENDIP' });
      const { requestId } = await api.requestFor(caseId);
      const [top] = (await api.recommendation(requestId)).ranked as Array<{ bedId: string }>;
      const hub = await open({ token: await tokenOf(t(), 'hub.coordinator') });
      const leader = await open({ token: await tokenOf(t(), 'leader.ics') });
      const ward = await open({ token: await tokenOf(t(), 'ward.musgrove') });
      const firsts = [hub, leader, ward].map((feed) => feed.next(() => true));
      expect(await hub.subscribe({ view: 'bed-board' })).toEqual({ ok: true, room: 'view:bed-board' });
      expect(await leader.subscribe({ view: 'bed-board' })).toEqual({ ok: true, room: 'view:bed-board:aggregate' });
      expect(await ward.subscribe({ view: 'bed-board' })).toEqual({ ok: true, room: 'view:bed-board:aggregate' });
      const [, leaderFirst] = await Promise.all(firsts);
      const reservedBefore = leaderFirst.data.summary!.total.reserved;
      const since = [hub, leader, ward].map((feed) => feed.updates.length);

      const onBoard = hub.next((u) => !!u.data.rows?.some((r) => r.bedId === top.bedId && r.status === 'reserved'), {
        since: since[0],
        timeoutMs: LONG_WINDOW_MS * 3,
      });
      const summaries = [leader, ward].map((feed, i) =>
        feed.next((u) => u.data.summary?.total.reserved === reservedBefore + 1, {
          since: since[i + 1],
          timeoutMs: LONG_WINDOW_MS * 3,
        }),
      );
      const sent = performance.now();
      const reserved = await api.reserve(requestId, top.bedId);
      expect(reserved.statusCode).toBe(201);
      const update = await onBoard;

      report(
        `bed-board: update ${(update.at - sent).toFixed(1)} ms after the reservation was sent (window ${LONG_WINDOW_MS} ms)`,
      );
      // The leading edge, not the end of a window.
      expect(update.at - sent).toBeLessThan(LONG_WINDOW_MS);
      expect(update.data.rows!.find((r) => r.bedId === top.bedId)).toMatchObject({ status: 'reserved', caseId });
      for (const summary of await Promise.all(summaries)) {
        expect(summary.data.rows).toBeUndefined();
        expect(JSON.stringify(summary)).not.toContain(caseId);
      }
      for (const feed of [hub, leader, ward]) feed.socket.disconnect();
    });

    it('pushes a capacity return to its provider’s room and the hub’s, never to another provider, who is refused that room', async () => {
      const [MENDIP_ID, TAUNTON_ID] = ['PRV-MENDIP-CARE', 'PRV-TAUNTON-HOMECARE'];
      const mendip = await open({ token: await tokenOf(t(), 'provider.mendip-care') });
      const taunton = await open({ token: await tokenOf(t(), 'provider.taunton-homecare') });
      const hub = await open({ token: await tokenOf(t(), 'hub.coordinator') });
      const firsts = [mendip, taunton, hub].map((feed) => feed.next(() => true));
      expect(await mendip.subscribe({ view: 'capacity' })).toEqual({ ok: true, room: `view:capacity:provider:${MENDIP_ID}` });
      expect(await taunton.subscribe({ view: 'capacity', provider: MENDIP_ID })).toEqual({
        error: { code: 'VIEW_NOT_PERMITTED', message: expect.stringContaining('its own capacity only') },
      });
      expect(await taunton.subscribe({ view: 'capacity' })).toEqual({ ok: true, room: `view:capacity:provider:${TAUNTON_ID}` });
      expect(await hub.subscribe({ view: 'capacity' })).toEqual({ ok: true, room: 'view:capacity' });
      const [mendipFirst, tauntonFirst] = await Promise.all(firsts);
      expect(mendipFirst.data.providers!.map((p) => p.providerId)).toEqual([MENDIP_ID]);
      expect(tauntonFirst.data.providers!.map((p) => p.providerId)).toEqual([TAUNTON_ID]);
      const since = [mendip, taunton, hub].map((feed) => feed.updates.length);

      const declared = (u: Update) =>
        u.data.providers?.find((p) => p.providerId === MENDIP_ID)?.localities.find((l) => l.locality === 'SEDGEMOOR')?.days[0]
          .declaredHours === 30;
      const own = mendip.next(declared, { since: since[0], timeoutMs: LONG_WINDOW_MS * 3 });
      const hubs = hub.next(declared, { since: since[2], timeoutMs: LONG_WINDOW_MS * 3 });
      const sent = performance.now();
      const response = await t().app.inject({
        method: 'POST',
        url: `/api/home-care/providers/${MENDIP_ID}/capacity`,
        payload: {
          locality: 'SEDGEMOOR',
          date: londonDate(new Date()),
          hoursPerWeek: 30,
          newPackages: 2,
          staffing: { careWorkersRostered: 20, careWorkersAbsent: 1 },
        },
        headers: await t().as('provider.mendip-care'),
      });
      expect(response.statusCode).toBeLessThan(300);
      const update = await own;
      await hubs;

      report(`capacity: update ${(update.at - sent).toFixed(1)} ms after the return was sent (window ${LONG_WINDOW_MS} ms)`);
      expect(update.at - sent).toBeLessThan(LONG_WINDOW_MS);
      expect(update.data).toMatchObject({ byLocality: null, workforce: null });
      // Past the window the return opened: nothing reached the other provider's room.
      await quietFor(LONG_WINDOW_MS + 200);
      expect(taunton.updates.slice(since[1])).toEqual([]);
      expect(JSON.stringify(taunton.updates)).not.toContain(MENDIP_ID);
      for (const feed of [mendip, taunton, hub]) feed.socket.disconnect();
    });

    it('sends a leader the kpis with small counts suppressed and no lists, and the hub the raw figures', async () => {
      const hub = await open({ token: await tokenOf(t(), 'hub.coordinator') });
      const leader = await open({ token: await tokenOf(t(), 'leader.ics') });
      const firsts = [hub, leader].map((feed) => feed.next(() => true));
      expect(await hub.subscribe({ view: 'kpis' })).toEqual({ ok: true, room: 'view:kpis' });
      expect(await leader.subscribe({ view: 'kpis' })).toEqual({ ok: true, room: 'view:kpis:aggregate' });
      expect(await leader.subscribe({ view: 'kpis', area: 'SEDGEMOOR' })).toMatchObject({
        error: { code: 'VIEW_NOT_PERMITTED' },
      });
      const [hubFirst, leaderFirst] = await Promise.all(firsts);
      expect(leaderFirst.data).toMatchObject({ suppression: { threshold: 5 }, parkedMessages: { count: 0 } });
      expect(leaderFirst.data).not.toHaveProperty('parkedMessages.list');
      expect(leaderFirst.data.bedBase!.longStays.stays).toBeUndefined();
      expect(hubFirst.data).toHaveProperty('parkedMessages.list');
      const openBefore = hubFirst.data.bedBase!.openRequests.total as number;
      const since = [hub.updates.length, leader.updates.length];

      // One more open bed request: a small count, 1 to 4, whatever the tests before left open.
      const caseId = await bedBaseApi(t()).p2Case({ area: 'SEDGEMOOR' });
      const raw = await hub.next((u) => u.data.bedBase?.openRequests.total === openBefore + 1, {
        since: since[0],
        timeoutMs: LONG_WINDOW_MS * 3,
      });
      const suppressed = await leader.next((u) => u.data.bedBase?.openRequests.total === 'suppressed', {
        since: since[1],
        timeoutMs: LONG_WINDOW_MS * 3,
      });

      expect(openBefore + 1).toBeLessThan(5);
      expect(raw.data.bedBase!.openRequests.total).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(suppressed)).not.toContain(caseId);
      hub.socket.disconnect();
      leader.socket.disconnect();
    });

    it('gives a reconnecting client the current state at once', async () => {
      const token = await tokenOf(t(), 'hub.coordinator');
      const hub = await open({ token }, { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100 });
      // A client re-subscribes on every connect: rooms belong to a connection, not to a user.
      hub.socket.on('connect', () => void hub.subscribe({ view: 'pathway-shares' }));
      const first = hub.next(() => true);
      await hub.subscribe({ view: 'pathway-shares' });
      await first;
      const expected = (await sharesOverHttp(t())).today.counts;

      const since = hub.updates.length;
      const reconnected = new Promise<number>((resolve) => hub.socket.once('connect', () => resolve(performance.now())));
      hub.socket.io.engine.close();
      const at = await reconnected;
      const update = await hub.next(() => true, { since });

      report(`reconnect: current state ${(update.at - at).toFixed(1)} ms after the new connection`);
      expect(update.at - at).toBeLessThan(LONG_WINDOW_MS / 2);
      expect(update.data.today!.counts).toEqual(expected);
      hub.socket.disconnect();
    });
  });
});

describe('live feed at the default window (100 ms)', () => {
  describeFeed(100, ({ t, open }) => {
    it('sends at most one update per window during a burst, the last with the final counts', async () => {
      const N = 40;
      const cases: string[] = [];
      for (let i = 0; i < N; i++) cases.push(await aCaseReadyToLeave(t()));
      const hub = await open({ token: await tokenOf(t(), 'hub.coordinator') });
      const initial = hub.next(() => true);
      await hub.subscribe({ view: 'pathway-shares' });
      const before = (await initial).data.today!.counts;
      const pushed = hub.updates.length;

      const started = performance.now();
      // About 40 a second for a second: a busy minute's rate, well above the 10 pushes a second allowed.
      for (const caseId of cases) {
        await discharge(t(), caseId);
        await quietFor(20);
      }
      const burstMs = performance.now() - started;
      const final = await hub.next((u) => u.data.today!.counts[1] === before[1] + N, { since: pushed });
      const spanMs = final.at - started;
      await quietFor(300);

      const updates = hub.updates.slice(pushed);
      report(
        `burst (window 100 ms): ${N} discharges, HTTP done in ${burstMs.toFixed(0)} ms, ` +
          `final counts after ${spanMs.toFixed(0)} ms → ${updates.length} updates`,
      );
      // One leading push, then at most one per window (packets may bunch on arrival: client and server share a loop).
      expect(updates.length).toBeLessThanOrEqual(Math.ceil(spanMs / 100) + 2);
      expect(updates.length).toBeLessThan(N);
      expect(updates.at(-1)).toEqual(final);
    });
  });
});
