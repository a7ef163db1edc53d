import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { bedBaseApi, eventually, HUB, type BoardRow } from './bed-base-api';

describe('bed base: the P2 journey from pathway to leaving', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp((o) => StandaloneModule.forRoot(o))));
  afterAll(() => t.destroy());

  it('seeds the Somerset-shaped bed base on first start: 21 sites, 156 beds', async () => {
    const api = bedBaseApi(t);
    const board = await eventually(async () => {
      const rows = await api.board();
      expect(rows).toHaveLength(156);
      return rows;
    });
    expect(new Set(board.map((b) => b.siteId)).size).toBe(21);
    expect(api.ok(await api.get(HUB, '/sites'))).toHaveLength(21);
  });

  it('ward refers, hub assigns P2 rehab → request → recommendation → reserve → placement arranged → discharged to 51 → admitted → leaves', async () => {
    const api = bedBaseApi(t);
    const caseId = await api.p2Case();
    const request = await api.requestFor(caseId);
    expect(request).toMatchObject({ caseId, pathway: 2, bedCategory: 'rehab', area: 'SEDGEMOOR', ageHours: 0 });

    const recommendation = await api.recommendation(request.requestId);
    expect(recommendation.noBedFits).toBe(false);
    const [top, second] = recommendation.ranked;
    expect(top).toMatchObject({
      rank: 1,
      tier: 1,
      reasons: expect.arrayContaining([expect.stringMatching(/^Tier 1 contracted rehab bed in the same locality \(Sedgemoor\)/)]),
    });
    expect(second.rank).toBe(2);
    expect(recommendation.excluded.length).toBeGreaterThan(0);
    expect(recommendation.excluded[0].reasons[0]).toMatch(/^Excluded: /);

    const reserved = await api.reserve(request.requestId, top.bedId);
    expect(reserved.statusCode).toBe(201);
    expect(reserved.json()).toMatchObject({
      requestId: request.requestId,
      caseId,
      bedId: top.bedId,
      expiresAt: expect.any(String),
    });
    const reservedRow = await api.bedBecomes(top.bedId, 'reserved');
    expect(reservedRow).toMatchObject({ caseId });

    await api.settled();
    const history = await api.cases.history(HUB, caseId);
    expect(history.find((e) => e.type === 'PlacementArranged')?.data).toMatchObject({
      source: 'bed-reservation',
      sourceId: reserved.json().reservationId,
      pathway: 2,
    });

    await api.cases.done(HUB, caseId, 'discharge', { dischargedAt: new Date().toISOString(), destination: '51' });
    await api.settled();
    const occupied: BoardRow = await api.bedBecomes(top.bedId, 'occupied');
    expect(occupied.caseId).toBe(caseId);
    const requests = api.ok(await api.get(HUB, '/requests'));
    expect(requests.find((r: { caseId: string }) => r.caseId === caseId)).toBeUndefined();

    const left = await api.post(HUB, `/beds/${top.bedId}/leave`, { outcome: 'home' });
    expect(left.statusCode).toBe(200);
    expect(left.json()).toMatchObject({ bedId: top.bedId, events: [{ type: 'PatientLeftBed' }] });
    const free = await api.bedBecomes(top.bedId, 'open');
    expect(free.caseId).toBeNull();
  });
});
