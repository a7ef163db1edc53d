import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { HUB, homeCareApi, MENDIP, MENDIP_ID, TAUNTON, TAUNTON_ID, WARD } from './home-care-api';

const TODAY = '2026-11-25';

describe('D2A home care over HTTP', () => {
  const clock = new ControllableClock(`${TODAY}T10:00:00Z`);
  let t: TestApp;
  let api: ReturnType<typeof homeCareApi>;
  beforeAll(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock });
    api = homeCareApi(t);
  });
  afterAll(() => t.destroy());

  it('seeds the seven illustrative providers once, including the two demo provider organisations', async () => {
    const providers = await api.ok(api.get(HUB, '/api/home-care/providers'));
    expect(providers).toHaveLength(7);
    expect(providers.map((p: { providerId: string }) => p.providerId)).toEqual(expect.arrayContaining([MENDIP_ID, TAUNTON_ID]));
    const own = await api.ok(api.get(MENDIP, '/api/home-care/providers'));
    expect(own).toEqual([expect.objectContaining({ providerId: MENDIP_ID, status: 'active' })]);
  });

  it('given a P1 case needing home care, when two providers post capacity and the hub offers to both, then one declines (hours released), the other accepts (hours committed, placement arranged), starts, and the person is discharged on P1', async () => {
    const caseId = await api.referred();
    await api.ok(api.caseAct(HUB, caseId, 'pathway', { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true }));
    await api.settle();

    const waiting = await api.ok(api.get(HUB, '/api/home-care/waiting'));
    const row = waiting.find((w: { caseId: string }) => w.caseId === caseId);
    expect(row).toMatchObject({ status: 'requested', area: 'SEDGEMOOR', hoursPerWeek: 14, daysWaiting: 0, offersOut: 0 });
    expect(JSON.stringify(waiting)).not.toMatch(/Lovelace|Ada|nhsNumber|postcode/);
    const { packageId } = row;

    const mendipReturn = await api.ok(
      api.declare(MENDIP, MENDIP_ID, {
        locality: 'SEDGEMOOR',
        date: TODAY,
        hoursPerWeek: 30,
        newPackages: 2,
        staffing: { careWorkersRostered: 20, careWorkersAbsent: 1 },
      }),
    );
    expect(mendipReturn).toMatchObject({ declaredHours: 30, freeHours: 30, events: [{ type: 'CapacityDeclared' }] });
    await api.ok(
      api.declare(TAUNTON, TAUNTON_ID, {
        locality: 'SEDGEMOOR',
        date: TODAY,
        hoursPerWeek: 20,
        newPackages: 1,
        staffing: { careWorkersRostered: 10, careWorkersAbsent: 2 },
      }),
    );

    const toMendip = await api.ok(api.offer(packageId, { providerId: MENDIP_ID, startOn: TODAY }), 201);
    const toTaunton = await api.ok(api.offer(packageId, { providerId: TAUNTON_ID, startOn: TODAY }), 201);
    expect(await api.cell(MENDIP_ID, 'SEDGEMOOR', TODAY)).toMatchObject({ declaredHours: 30, heldHours: 14, freeHours: 16 });
    expect(await api.cell(TAUNTON_ID, 'SEDGEMOOR', TODAY)).toMatchObject({ declaredHours: 20, heldHours: 14, freeHours: 6 });
    const tauntonScreen = await api.ok(api.get(TAUNTON, `/api/home-care/providers/${TAUNTON_ID}/view`));
    expect(tauntonScreen.offers).toEqual([
      expect.objectContaining({ packageId, offerId: toTaunton.offerId, area: 'SEDGEMOOR', hoursPerWeek: 14, startOn: TODAY }),
    ]);
    expect(tauntonScreen.localities.find((l: { locality: string }) => l.locality === 'SEDGEMOOR').days).toHaveLength(15);

    await api.ok(api.answer(TAUNTON, packageId, toTaunton.offerId, 'decline', { reason: 'no-carers-available' }));
    expect(await api.cell(TAUNTON_ID, 'SEDGEMOOR', TODAY)).toMatchObject({ heldHours: 0, committedHours: 0, freeHours: 20 });

    const accepted = await api.ok(api.answer(MENDIP, packageId, toMendip.offerId, 'accept'));
    expect(accepted.events.map((e: { type: string }) => e.type)).toEqual(['PackageAccepted']);
    expect(await api.cell(MENDIP_ID, 'SEDGEMOOR', TODAY)).toMatchObject({
      declaredHours: 30,
      heldHours: 0,
      committedHours: 14,
      freeHours: 16,
      committedPackages: 1,
      freePackages: 1,
    });
    const placement = (await api.caseHistory(caseId)).filter((e) => e.type === 'PlacementArranged');
    expect(placement).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ source: 'home-care-package', sourceId: packageId, pathway: 1 }),
      }),
    ]);

    const grid = await api.ok(api.get(HUB, `/api/home-care/ledger?from=${TODAY}&days=15`));
    expect(grid.rule).toBe('free = declared − held − committed');
    expect(grid.dates).toHaveLength(15);
    expect(grid.workforce.providersAtRisk).toEqual([TAUNTON_ID]);
    expect(grid.workforce.system).toMatchObject({ careWorkersRostered: 30, careWorkersAbsent: 3, percent: 10, atRisk: false });
    const sedgemoor = grid.byLocality.find((l: { locality: string }) => l.locality === 'SEDGEMOOR').days[0];
    expect(sedgemoor).toMatchObject({ providersReturned: 2, declaredHours: 50, heldHours: 0, committedHours: 14, freeHours: 36 });

    const started = await api.ok(api.post(MENDIP, `/api/home-care/packages/${packageId}/start`, { startedOn: TODAY }));
    expect(started.events.map((e: { type: string }) => e.type)).toEqual(['PackageStarted']);

    const discharged = await api.ok(
      api.caseAct(HUB, caseId, 'discharge', { dischargedAt: `${TODAY}T09:45:00Z`, destination: '19' }),
    );
    expect(discharged.events.at(-1)).toMatchObject({ type: 'PatientDischarged' });
    await api.settle();
    const history = await api.caseHistory(caseId);
    expect(history.at(-1)).toMatchObject({ type: 'PatientDischarged', data: { pathway: 1, homeCareNeeded: true } });

    const own = await api.ok(api.get(MENDIP, '/api/home-care/packages'));
    expect(own.find((p: { packageId: string }) => p.packageId === packageId)).toMatchObject({
      status: 'active',
      providerId: MENDIP_ID,
      startedOn: TODAY,
      daysFromRequestToStart: 0,
    });
    expect(
      (await api.ok(api.get(TAUNTON, '/api/home-care/packages'))).map((p: { packageId: string }) => p.packageId),
    ).not.toContain(packageId);
    expect((await api.ok(api.get(HUB, '/api/home-care/waiting'))).map((w: { packageId: string }) => w.packageId)).not.toContain(
      packageId,
    );
  });

  it('given the last free hours, when the hub offers two packages to them at once, then exactly one holds them and the other is 409 naming the capacity', async () => {
    const date = '2026-11-27';
    const first = await api.packageRequested(14);
    const second = await api.packageRequested(14);
    await api.ok(api.declare(MENDIP, MENDIP_ID, { locality: 'SEDGEMOOR', date, hoursPerWeek: 20, newPackages: 2 }));

    const responses = await Promise.all(
      [first, second].map(({ packageId }) => api.offer(packageId, { providerId: MENDIP_ID, startOn: date })),
    );

    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const refused = responses.find((r) => r.statusCode === 409)!.json();
    expect(refused).toMatchObject({ code: 'CAPACITY_NOT_FREE', freeHours: 6, requestedHours: 14 });
    expect(refused.message).toContain('Only 6 hours a week');
    expect(await api.cell(MENDIP_ID, 'SEDGEMOOR', date)).toMatchObject({ heldHours: 14, freeHours: 6, heldPackages: 1 });
    const loser = [first, second][responses.findIndex((r) => r.statusCode === 409)];
    expect((await api.ok(api.package(HUB, loser.packageId))).offers).toEqual([]);
  });

  it('given an offer to one provider, when another provider reads or answers it, then it is 403, and a provider cannot act for another', async () => {
    const date = '2026-11-28';
    const { packageId } = await api.packageRequested();
    await api.ok(api.declare(MENDIP, MENDIP_ID, { locality: 'SEDGEMOOR', date, hoursPerWeek: 14, newPackages: 1 }));
    const { offerId } = await api.ok(api.offer(packageId, { providerId: MENDIP_ID, startOn: date }), 201);

    expect((await api.get(MENDIP, `/api/home-care/packages/${packageId}/offers/${offerId}`)).statusCode).toBe(200);
    for (const response of [
      await api.get(TAUNTON, `/api/home-care/packages/${packageId}/offers/${offerId}`),
      await api.package(TAUNTON, packageId),
      await api.answer(TAUNTON, packageId, offerId, 'accept'),
      await api.answer(TAUNTON, packageId, offerId, 'decline', { reason: 'no-carers-available' }),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'OUT_OF_SCOPE' });
    }
    expect((await api.get(TAUNTON, `/api/home-care/providers/${MENDIP_ID}/view`)).statusCode).toBe(403);
    const forOther = await api.declare(TAUNTON, MENDIP_ID, { locality: 'SEDGEMOOR', date, hoursPerWeek: 99, newPackages: 9 });
    expect(forOther.statusCode).toBe(403);
    expect((await api.get(WARD, '/api/home-care/ledger')).statusCode).toBe(403);
    expect((await api.offer(packageId, { providerId: TAUNTON_ID, startOn: date })).statusCode).toBe(409);
    expect(await api.cell(MENDIP_ID, 'SEDGEMOOR', date)).toMatchObject({ heldHours: 14, freeHours: 0 });
  });

  it('given a capacity return, when it is for yesterday, 15 days ahead, no calendar day or an unserved locality, then it is refused with a clear message', async () => {
    const past = await api.declare(MENDIP, MENDIP_ID, {
      locality: 'SEDGEMOOR',
      date: '2026-11-24',
      hoursPerWeek: 10,
      newPackages: 1,
    });
    expect(past.statusCode).toBe(422);
    expect(past.json()).toMatchObject({ code: 'CAPACITY_DATE_IN_PAST', today: TODAY });
    expect(past.json().message).toMatch(/2026-11-24: it is in the past/);

    const tooFar = await api.declare(MENDIP, MENDIP_ID, {
      locality: 'SEDGEMOOR',
      date: '2026-12-10',
      hoursPerWeek: 10,
      newPackages: 1,
    });
    expect(tooFar.statusCode).toBe(422);
    expect(tooFar.json()).toMatchObject({ code: 'CAPACITY_DATE_TOO_FAR_AHEAD', lastDate: '2026-12-09' });
    expect(tooFar.json().message).toMatch(/at most 14 days ahead, up to 2026-12-09/);
    expect(
      (await api.declare(MENDIP, MENDIP_ID, { locality: 'SEDGEMOOR', date: '2026-12-09', hoursPerWeek: 10, newPackages: 1 }))
        .statusCode,
    ).toBe(200);

    const notADay = await api.declare(MENDIP, MENDIP_ID, { locality: 'SEDGEMOOR', date: '2026-02-30', hoursPerWeek: -1 });
    expect(notADay.statusCode).toBe(400);
    expect(new Set(notADay.json().errors.map((e: { field: string }) => e.field))).toEqual(
      new Set(['date', 'hoursPerWeek', 'newPackages']),
    );

    const unserved = await api.declare(MENDIP, MENDIP_ID, {
      locality: 'SOUTH_SOMERSET',
      date: TODAY,
      hoursPerWeek: 10,
      newPackages: 1,
    });
    expect(unserved.statusCode).toBe(422);
    expect(unserved.json()).toMatchObject({ code: 'LOCALITY_NOT_SERVED', locality: 'SOUTH_SOMERSET' });
  });

  it('given hours held for an offer, when the case is withdrawn, then the package request is cancelled and the hours released', async () => {
    const date = '2026-11-29';
    const { caseId, packageId } = await api.packageRequested();
    await api.ok(api.declare(MENDIP, MENDIP_ID, { locality: 'SEDGEMOOR', date, hoursPerWeek: 14, newPackages: 1 }));
    await api.ok(api.offer(packageId, { providerId: MENDIP_ID, startOn: date }), 201);
    expect(await api.cell(MENDIP_ID, 'SEDGEMOOR', date)).toMatchObject({ heldHours: 14, freeHours: 0 });

    await api.ok(api.caseAct(WARD, caseId, 'withdraw', { reason: 'no-longer-needed' }));
    await api.settle();

    expect(await api.cell(MENDIP_ID, 'SEDGEMOOR', date)).toMatchObject({ heldHours: 0, committedHours: 0, freeHours: 14 });
    expect(await api.ok(api.package(HUB, packageId))).toMatchObject({
      status: 'cancelled',
      cancelledFor: 'case-withdrawn',
      offers: [expect.objectContaining({ status: 'withdrawn' })],
    });
    expect((await api.ok(api.get(HUB, '/api/home-care/waiting'))).map((w: { packageId: string }) => w.packageId)).not.toContain(
      packageId,
    );
    const screen = await api.ok(api.get(MENDIP, `/api/home-care/providers/${MENDIP_ID}/view`));
    expect(screen.offers.map((o: { packageId: string }) => o.packageId)).not.toContain(packageId);
  });

  it('given an offer retried with the same Idempotency-Key, then it is one offer and one hold; the hub may over-commit only with a coded reason; a hub cancel releases committed hours', async () => {
    const date = '2026-11-30';
    const { packageId } = await api.packageRequested(14);
    await api.ok(api.declare(TAUNTON, TAUNTON_ID, { locality: 'SEDGEMOOR', date, hoursPerWeek: 14, newPackages: 1 }));
    const headers = { 'idempotency-key': 'offer-retry-0001' };
    const first = await api.offer(packageId, { providerId: TAUNTON_ID, startOn: date }, headers);
    const again = await api.offer(packageId, { providerId: TAUNTON_ID, startOn: date }, headers);
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.json().offerId).toBe(first.json().offerId);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await api.ok(api.package(HUB, packageId))).offers).toHaveLength(1);
    expect(await api.cell(TAUNTON_ID, 'SEDGEMOOR', date)).toMatchObject({ heldHours: 14, freeHours: 0 });

    const other = await api.packageRequested(7);
    const refused = await api.offer(other.packageId, { providerId: TAUNTON_ID, startOn: date });
    expect(refused.json()).toMatchObject({ code: 'CAPACITY_NOT_FREE', freeHours: 0 });
    await api.ok(
      api.offer(other.packageId, { providerId: TAUNTON_ID, startOn: date, overrideReason: 'provider-confirmed-by-phone' }),
      201,
    );
    expect(await api.cell(TAUNTON_ID, 'SEDGEMOOR', date)).toMatchObject({ heldHours: 21, freeHours: -7, freePackages: -1 });

    await api.ok(api.answer(TAUNTON, packageId, first.json().offerId, 'accept'));
    await api.ok(api.post(HUB, `/api/home-care/packages/${packageId}/cancel`, { reason: 'hub-cancelled' }));
    expect(await api.cell(TAUNTON_ID, 'SEDGEMOOR', date)).toMatchObject({ heldHours: 7, committedHours: 0, freeHours: 7 });
  });

  it('given a suspended provider, then it can neither post capacity nor be offered a package until reinstated', async () => {
    const date = '2026-12-01';
    const { packageId } = await api.packageRequested();
    const suspended = await api.ok(
      api.post(HUB, `/api/home-care/providers/${MENDIP_ID}/suspend`, { reason: 'safeguarding-concern' }),
    );
    expect(suspended.events).toEqual([expect.objectContaining({ type: 'ProviderSuspended' })]);
    const declare = await api.declare(MENDIP, MENDIP_ID, { locality: 'SEDGEMOOR', date, hoursPerWeek: 14, newPackages: 1 });
    expect(declare.statusCode).toBe(409);
    expect(declare.json()).toMatchObject({ code: 'PROVIDER_SUSPENDED' });
    expect((await api.offer(packageId, { providerId: MENDIP_ID, startOn: date })).json()).toMatchObject({
      code: 'PROVIDER_SUSPENDED',
    });
    expect((await api.post(MENDIP, `/api/home-care/providers/${MENDIP_ID}/reinstate`)).statusCode).toBe(403);
    const stale = await api.post(HUB, `/api/home-care/providers/${MENDIP_ID}/reinstate`, {}, { 'if-match': '"0"' });
    expect(stale.json()).toMatchObject({ code: 'REVISION_CONFLICT', currentRevision: 1 });
    await api.ok(api.post(HUB, `/api/home-care/providers/${MENDIP_ID}/reinstate`, {}, { 'if-match': '"1"' }));
    await api.ok(api.declare(MENDIP, MENDIP_ID, { locality: 'SEDGEMOOR', date, hoursPerWeek: 14, newPackages: 1 }));
  });
});
