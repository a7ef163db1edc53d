import { StandaloneModule } from '../../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../../../test/support/app';

describe('hub KPIs over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp((o) => StandaloneModule.forRoot(o))));
  afterAll(() => t.destroy());

  it('serves every KPI to the hub, suppressed figures to leaders, and refuses wards', async () => {
    const hub = await t.app.inject({
      method: 'GET',
      url: '/api/hub/kpis?date=2026-03-29&area=MENDIP',
      headers: await t.as('hub.coordinator'),
    });
    expect(hub.statusCode).toBe(200);
    expect(hub.json()).toMatchObject({
      date: '2026-03-29',
      timeZone: 'Europe/London',
      filters: { area: 'MENDIP' },
      dischargesByPathway: { today: { basis: 'referred-discharges', label: 'of referred discharges', total: 0 } },
      nctrNow: { total: 0 },
      delayedBedDays: { bedDays: 0, ratePerBedDayGbp: 395 },
      ascof2b1: { cohort: { from: '2025-10-01', to: '2025-12-31' } },
    });
    // An earlier date is read at the end of that London day: nothing was seeded yet.
    expect(hub.json().bedBase.beds.total.commissioned).toBe(0);
    const now = await t.app.inject({ method: 'GET', url: '/api/hub/kpis', headers: await t.as('hub.coordinator') });
    const body = now.json();
    expect(body.bedBase.beds.total.commissioned).toBeGreaterThan(0);
    expect(body.bedBase.beds.total.occupied).toBe(0);
    expect(body.bedBase.longStays).toEqual({ thresholdDays: 21, count: 0, stays: [] });
    expect(body.d2a.capacity.byProvider).toHaveLength(7);
    expect(body.d2a.capacity.total).toHaveLength(15);
    expect(body.d2a.waiting).toMatchObject({ total: 0, people: [] });
    expect(body.parkedMessages).toMatchObject({ count: 0, list: [] });
    const leader = await t.app.inject({ method: 'GET', url: '/api/hub/kpis', headers: await t.as('leader.ics') });
    expect(leader.statusCode).toBe(200);
    expect(leader.json()).toMatchObject({ suppression: { threshold: 5 }, parkedMessages: { count: 0 } });
    expect(leader.json().parkedMessages.list).toBeUndefined();
    expect(leader.json().bedBase.longStays.stays).toBeUndefined();
    expect(leader.json().d2a.waiting.people).toBeUndefined();
    const ward = await t.app.inject({ method: 'GET', url: '/api/hub/kpis', headers: await t.as('ward.musgrove') });
    expect(ward.statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'GET', url: '/api/hub/kpis?area=NOWHERE', headers: await t.as('hub.coordinator') });
    expect(bad.statusCode).toBe(400);
  });

  it('serves the definitions and the sitrep return as long-format CSV', async () => {
    const headers = await t.as('admin');
    const definitions = await t.app.inject({ method: 'GET', url: '/api/hub/kpis/definitions', headers });
    expect(definitions.json().kpis.map((k: { id: string }) => k.id)).toContain('ascof-2b1');
    const csv = await t.app.inject({ method: 'GET', url: '/api/hub/returns/discharge-sitrep.csv?date=2026-10-25', headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('Period,Org Code,Metric,Value');
    expect(lines[1]).toBe('2026-10-25,RH5,Number of patients discharged,0');
    const leader = await t.app.inject({
      method: 'GET',
      url: '/api/hub/returns/discharge-sitrep.csv',
      headers: await t.as('leader.ics'),
    });
    expect(leader.statusCode).toBe(403);
  });
});
