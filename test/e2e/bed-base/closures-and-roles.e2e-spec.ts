import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { ADMIN, bedBaseApi, eventually, HUB, LEADER, PROVIDER, WARD } from './bed-base-api';

describe('bed base: closures, the summary and roles', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp((o) => StandaloneModule.forRoot(o))));
  afterAll(() => t.destroy());

  it('a site closed to admissions: its beds are unavailable, refused and not recommended, but still counted; reopening restores them', async () => {
    const api = bedBaseApi(t);
    const before = await eventually(async () => {
      const summary = await api.summary();
      expect(summary.total.commissioned).toBe(156);
      return summary;
    });
    const site = before.bySite['SHEPTON-CH'];
    expect(site).toMatchObject({ commissioned: 10, available: 10, closedToAdmissions: null });

    const closed = await api.post(HUB, '/sites/SHEPTON-CH/close', { reason: 'outbreak' });
    expect(closed.statusCode).toBe(200);
    const after = await eventually(async () => {
      const summary = await api.summary();
      expect(summary.bySite['SHEPTON-CH'].closedToAdmissions).toBe('outbreak');
      return summary;
    });
    expect(after.bySite['SHEPTON-CH']).toMatchObject({ commissioned: 10, open: 10, siteClosed: 10, available: 0 });
    expect(after.total).toMatchObject({ commissioned: 156, available: before.total.available - 10, siteClosed: 10 });
    expect(after.byArea.MENDIP.commissioned).toBe(before.byArea.MENDIP.commissioned);
    expect(await api.bed('SHEPTON-CH-01')).toMatchObject({ status: 'site-closed' });

    const caseId = await api.p2Case({ area: 'MENDIP' });
    const { requestId } = await api.requestFor(caseId);
    const recommendation = await api.recommendation(requestId);
    expect(recommendation.ranked.map((r: { siteId: string }) => r.siteId)).not.toContain('SHEPTON-CH');
    expect(recommendation.excluded.find((e: { bedId: string }) => e.bedId === 'SHEPTON-CH-01').reasons).toContain(
      'Excluded: site closed to admissions (outbreak)',
    );
    const refused = await api.reserve(requestId, 'SHEPTON-CH-01');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'SITE_CLOSED_TO_ADMISSIONS', bedId: 'SHEPTON-CH-01' });

    expect((await api.post(HUB, '/sites/SHEPTON-CH/reopen')).statusCode).toBe(200);
    await eventually(async () => expect((await api.summary()).bySite['SHEPTON-CH'].available).toBe(10));
    expect((await api.reserve(requestId, 'SHEPTON-CH-01')).statusCode).toBe(201);
  });

  it('beds close and reopen with a coded reason; winter escalation beds open and stand down', async () => {
    const api = bedBaseApi(t);
    expect((await api.post(HUB, '/beds/BURNHAM-CH-01/close', { reason: 'infection' })).statusCode).toBe(200);
    expect(await api.bedBecomes('BURNHAM-CH-01', 'closed')).toMatchObject({ closureReason: 'infection' });
    const again = await api.post(HUB, '/beds/BURNHAM-CH-01/close', { reason: 'staffing' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'BED_ALREADY_CLOSED' });
    const badReason = await api.post(HUB, '/beds/BURNHAM-CH-02/close', { reason: 'because' });
    expect(badReason.statusCode).toBe(400);
    expect((await api.post(HUB, '/beds/BURNHAM-CH-01/reopen')).statusCode).toBe(200);
    await api.bedBecomes('BURNHAM-CH-01', 'open');

    const escalation = (await api.board()).find((b) => b.siteId === 'FROME-CH' && b.status === 'stood-down')!;
    expect(escalation).toBeDefined();
    expect((await api.post(ADMIN, `/beds/${escalation.bedId}/escalation/open`)).statusCode).toBe(200);
    await api.bedBecomes(escalation.bedId, 'open');
    expect((await api.post(ADMIN, `/beds/${escalation.bedId}/escalation/stand-down`)).statusCode).toBe(200);
    await api.bedBecomes(escalation.bedId, 'stood-down');
  });

  it('an admin registers a site and commissions, then decommissions, a bed', async () => {
    const api = bedBaseApi(t);
    const site = await api.post(ADMIN, '/sites', {
      siteId: 'TEST-CH',
      name: 'Test Community Hospital',
      kind: 'community-hospital',
      locality: 'MENDIP',
      odsCode: 'ZZB99',
      odsCodeIllustrative: true,
    });
    expect(site.statusCode).toBe(201);
    const bed = await api.post(ADMIN, '/beds', {
      bedId: 'TEST-CH-01',
      siteId: 'TEST-CH',
      pathway: 2,
      category: 'rehab',
      capabilities: ['hoist'],
      baySex: 'male',
      funding: 'nhs-community',
      tier: 2,
    });
    expect(bed.statusCode).toBe(201);
    expect(await api.bedBecomes('TEST-CH-01', 'open')).toMatchObject({ siteId: 'TEST-CH', tier: 2, category: 'rehab' });
    const unknownField = await api.post(ADMIN, '/beds', { bedId: 'TEST-CH-02', siteId: 'TEST-CH', colour: 'blue' });
    expect(unknownField.statusCode).toBe(400);
    expect((await api.post(ADMIN, '/beds/TEST-CH-01/decommission')).statusCode).toBe(200);
    await eventually(async () => expect((await api.board()).map((b) => b.bedId)).not.toContain('TEST-CH-01'));
  });

  it('roles: ward and provider are refused management routes; leader and ward see aggregates only; admin sees no case ids', async () => {
    const api = bedBaseApi(t);
    for (const user of [WARD, PROVIDER]) {
      expect((await api.post(user, '/sites/FROME-CH/close', { reason: 'staffing' })).statusCode).toBe(403);
      expect((await api.post(user, '/beds/FROME-CH-10/close', { reason: 'staffing' })).statusCode).toBe(403);
      expect((await api.post(user, '/beds/FROME-CH-10/leave', { outcome: 'home' })).statusCode).toBe(403);
      expect((await api.get(user, '/beds')).statusCode).toBe(403);
      expect((await api.get(user, '/requests')).statusCode).toBe(403);
      expect((await api.get(user, '/long-stays')).statusCode).toBe(403);
      expect(
        (await api.post(user, '/requests/6c0f3f0e-8a51-4f7e-9f0a-2b9c1d4e5f60/reservations', { bedId: 'FROME-CH-10' }))
          .statusCode,
      ).toBe(403);
    }
    expect((await api.get(PROVIDER, '/summary')).statusCode).toBe(403);
    expect((await api.get(WARD, '/summary')).statusCode).toBe(200);
    for (const route of ['/beds', '/requests', '/long-stays', '/sites']) {
      expect((await api.get(LEADER, route)).statusCode).toBe(403);
    }
    const leaderSummary = await api.get(LEADER, '/summary');
    expect(leaderSummary.statusCode).toBe(200);
    expect(leaderSummary.body).not.toMatch(/caseId|requestId/);
    expect(leaderSummary.json()).toMatchObject({ total: { commissioned: expect.any(Number) }, longStays: { thresholdDays: 21 } });
    expect((await api.post(ADMIN, '/beds/FROME-CH-10/leave', { outcome: 'home' })).statusCode).toBe(403);

    const caseId = await api.p2Case({ area: 'SOUTH_SOMERSET' });
    const { requestId } = await api.requestFor(caseId);
    expect((await api.reserve(requestId, 'WINCANTON-CH-01')).statusCode).toBe(201);
    await api.bedBecomes('WINCANTON-CH-01', 'reserved');
    const adminRow = await api.bed('WINCANTON-CH-01', ADMIN);
    expect(adminRow.status).toBe('reserved');
    expect(adminRow).not.toHaveProperty('caseId');
    expect((await api.bed('WINCANTON-CH-01', HUB)).caseId).toBe(caseId);
  });
});
