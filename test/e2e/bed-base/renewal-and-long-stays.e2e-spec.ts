import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { bedBaseApi, eventually, HUB, WARD } from './bed-base-api';

describe('bed base: a new NCTR period, no bed fits, and long stays', () => {
  const clock = new ControllableClock('2026-11-25T10:00:00Z');
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock })));
  afterAll(() => t.destroy());

  it('CTR met again closes the request and frees its bed; a new NCTR period on the same P2 plan opens a new request', async () => {
    const api = bedBaseApi(t);
    const caseId = await api.p2Case({ area: 'SEDGEMOOR' });
    await api.cases.done(WARD, caseId, 'criteria-to-reside/not-met', { from: '2026-11-20' });
    const first = await api.requestFor(caseId);
    expect((await api.reserve(first.requestId, 'BRIDGWATER-CH-01')).statusCode).toBe(201);
    // The reservation arranges the placement on the case: let that land before the ward writes to the case.
    await api.settled();

    await api.cases.done(WARD, caseId, 'criteria-to-reside/met-again', { on: '2026-11-22' });
    await api.settled();
    await api.bedBecomes('BRIDGWATER-CH-01', 'open');
    await eventually(async () => {
      const requests = api.ok(await api.get(HUB, '/requests'));
      expect(requests.filter((r: { caseId: string }) => r.caseId === caseId)).toEqual([]);
    });

    await api.cases.done(WARD, caseId, 'criteria-to-reside/not-met', { from: '2026-11-24' });
    const second = await api.requestFor(caseId);
    expect(second.requestId).not.toBe(first.requestId);
    expect(second).toMatchObject({ pathway: 2, bedCategory: 'rehab', area: 'SEDGEMOOR', reservation: null });
    expect((await api.reserve(second.requestId, 'BRIDGWATER-CH-01')).statusCode).toBe(201);
  });

  it('no bed fits: the recommendation says so, with the reasons counted', async () => {
    const api = bedBaseApi(t);
    const caseId = await api.p2Case({ specialist: { bariatric: true, dementia: true, sexForBayAllocation: 'male' } });
    const { requestId } = await api.requestFor(caseId);
    const recommendation = await api.recommendation(requestId);
    expect(recommendation).toMatchObject({ noBedFits: true, ranked: [] });
    expect(recommendation.excluded).toHaveLength(156);
    expect(recommendation.summary).toMatch(
      /^No bed fits a pathway 2 rehab need\. 156 beds were excluded: .*no bariatric and dementia care \(\d+\)/,
    );
  });

  it('a stay of 21 days shows on the long-stay list (hub only), then the person leaves with an outcome', async () => {
    const api = bedBaseApi(t);
    const caseId = await api.p2Case({ area: 'MENDIP' });
    const { requestId } = await api.requestFor(caseId);
    expect((await api.reserve(requestId, 'MENDIP-VALE-01')).statusCode).toBe(201);
    await api.settled();
    await api.cases.done(HUB, caseId, 'discharge', { dischargedAt: clock.now().toISOString(), destination: '51' });
    await api.settled();
    await api.bedBecomes('MENDIP-VALE-01', 'occupied');
    expect(api.ok(await api.get(HUB, '/long-stays'))).toEqual([]);

    await clock.advance({ days: 21 });
    expect(api.ok(await api.get(HUB, '/long-stays'))).toEqual([
      expect.objectContaining({ bedId: 'MENDIP-VALE-01', siteId: 'MENDIP-VALE', caseId, days: 21 }),
    ]);
    expect((await api.summary()).longStays).toEqual({ thresholdDays: 21, count: 1 });
    const left = await api.post(HUB, '/beds/MENDIP-VALE-01/leave', { outcome: 'home-with-care' });
    expect(left.json()).toMatchObject({ events: [{ type: 'PatientLeftBed' }] });
    await api.bedBecomes('MENDIP-VALE-01', 'open');
    expect(api.ok(await api.get(HUB, '/long-stays'))).toEqual([]);
    const bad = await api.post(HUB, '/beds/MENDIP-VALE-01/leave', { outcome: 'home' });
    expect(bad.statusCode).toBe(409);
    expect(bad.json()).toMatchObject({ code: 'BED_NOT_OCCUPIED' });
  });
});
