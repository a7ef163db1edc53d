import { EVENT_STORE, DeadlineScheduler } from '@app/platform';
import type { EventStore } from '@app/event-sourcing';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { bedBaseApi, eventually, HUB } from './bed-base-api';

describe('bed base: reservations', () => {
  const clock = new ControllableClock('2026-11-25T10:00:00Z');
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock })));
  afterAll(() => t.destroy());

  const openRequest = async (api: ReturnType<typeof bedBaseApi>, area = 'MENDIP') => {
    const caseId = await api.p2Case({ area });
    const { requestId } = await api.requestFor(caseId);
    return { caseId, requestId };
  };

  it('several requests race for one bed: exactly one wins, every loser gets 409 naming the bed', async () => {
    const api = bedBaseApi(t);
    const requests = await Promise.all(Array.from({ length: 5 }, () => openRequest(api)));
    const bedId = 'FROME-CH-01';
    const responses = await Promise.all(requests.map(({ requestId }) => api.reserve(requestId, bedId)));
    const won = responses.filter((r) => r.statusCode === 201);
    const lost = responses.filter((r) => r.statusCode !== 201);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(4);
    for (const response of lost) {
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'BED_ALREADY_RESERVED', bedId, message: expect.stringContaining(bedId) });
    }
    const winner = requests.find((r) => r.requestId === won[0].json().requestId)!;
    expect((await api.bedBecomes(bedId, 'reserved')).caseId).toBe(winner.caseId);
    const store = t.app.get<EventStore>(EVENT_STORE);
    expect((await store.readStream(`bed-${bedId}`)).map((e) => e.type)).toEqual(['BedCommissioned', 'BedReserved']);
  });

  it('one request races for several beds: exactly one hold survives, the others are given back and answered 409 naming the bed', async () => {
    const api = bedBaseApi(t);
    const { requestId } = await openRequest(api);
    const beds = ['FROME-CH-02', 'FROME-CH-03', 'FROME-CH-04', 'SHEPTON-CH-01'];
    const responses = await Promise.all(beds.map((bedId) => api.reserve(requestId, bedId)));
    const won = responses.filter((r) => r.statusCode === 201);
    expect(won).toHaveLength(1);
    const wonBed = won[0].json().bedId;
    const lost = responses.filter((r) => r.statusCode !== 201);
    expect(lost.map((r) => r.statusCode)).toEqual([409, 409, 409]);
    for (const response of lost) {
      const body = response.json();
      expect(body).toMatchObject({ code: 'REQUEST_ALREADY_HAS_RESERVATION', heldBedId: wonBed });
      expect(beds).toContain(body.bedId);
      expect(body.message).toContain(body.bedId);
    }
    await api.settled();
    await eventually(async () => {
      const board = await api.board();
      expect(board.filter((b) => beds.includes(b.bedId) && b.status === 'reserved').map((b) => b.bedId)).toEqual([wonBed]);
    });
  });

  it('a withdrawal releases the bed', async () => {
    const api = bedBaseApi(t);
    const { caseId, requestId } = await openRequest(api);
    const bedId = 'FROME-CH-05';
    expect((await api.reserve(requestId, bedId)).statusCode).toBe(201);
    await api.bedBecomes(bedId, 'reserved');
    // The reservation arranges the placement on the case: let that land before the hub writes to the case.
    await api.settled();
    await api.cases.done(HUB, caseId, 'withdraw', { reason: 'no-longer-needed' });
    await api.settled();
    const row = await api.bedBecomes(bedId, 'open');
    expect(row.caseId).toBeNull();
    const store = t.app.get<EventStore>(EVENT_STORE);
    expect((await store.readStream(`bedRequest-${requestId}`)).at(-1)).toMatchObject({
      type: 'BedRequestClosed',
      data: { reason: 'case-withdrawn', releasedReservation: { bedId } },
    });
  });

  it('the hub releases a reservation: the bed is free and the request can reserve again', async () => {
    const api = bedBaseApi(t);
    const { requestId } = await openRequest(api);
    const reserved = api.ok(await api.reserve(requestId, 'FROME-CH-06'), 201);
    const released = await api.post(HUB, `/requests/${requestId}/reservations/${reserved.reservationId}/release`);
    expect(released.json()).toMatchObject({ released: true, bedId: 'FROME-CH-06' });
    const again = await api.post(HUB, `/requests/${requestId}/reservations/${reserved.reservationId}/release`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'RESERVATION_NOT_ACTIVE' });
    await api.bedBecomes('FROME-CH-06', 'open');
    expect((await api.reserve(requestId, 'FROME-CH-07')).statusCode).toBe(201);
  });

  it('a retried reservation with the same Idempotency-Key converges on the same reservation', async () => {
    const api = bedBaseApi(t);
    const { requestId } = await openRequest(api);
    const headers = { 'idempotency-key': 'reserve-retry-0001' };
    const first = api.ok(await api.reserve(requestId, 'FROME-CH-08', {}, headers), 201);
    const again = await api.reserve(requestId, 'FROME-CH-08', {}, headers);
    const retried = api.ok(again, 201);
    // The first answer, expiry included, and marked as a replay: a retry changes nothing.
    expect(retried).toEqual(first);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('a reservation expires on its durable deadline and the bed is free again', async () => {
    const api = bedBaseApi(t);
    const { requestId } = await openRequest(api);
    const bedId = 'FROME-CH-09';
    const reserved = api.ok(await api.reserve(requestId, bedId, { expiresInHours: 2 }), 201);
    expect(reserved.expiresAt).toBe('2026-11-25T12:00:00.000Z');
    await api.bedBecomes(bedId, 'reserved');
    const scheduler = t.app.get(DeadlineScheduler);
    await scheduler.whenCaughtUp();
    await eventually(async () =>
      expect(scheduler.pendingDeadlines().map((d) => d.deadlineId)).toContain(`bed-reservation-expiry:${reserved.reservationId}`),
    );
    expect(await scheduler.tick()).toBe(0);
    await clock.advance({ hours: 2, minutes: 1 });
    await scheduler.tick();
    await api.settled();
    await api.bedBecomes(bedId, 'open');
    const store = t.app.get<EventStore>(EVENT_STORE);
    expect((await store.readStream(`bed-${bedId}`)).at(-1)).toMatchObject({ type: 'BedReservationExpired' });
    expect((await store.readStream(`bedRequest-${requestId}`)).at(-1)).toMatchObject({
      type: 'BedRequestReservationEnded',
      data: { reason: 'expired' },
    });
    const requests = api.ok(await api.get(HUB, '/requests'));
    expect(requests.find((r: { requestId: string }) => r.requestId === requestId)).toMatchObject({
      reservation: null,
      ageHours: 2,
    });
  });
});
