import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../../test/support/app';
import { aReferral, dischargeApi, expectStatus } from '../../../test/support/discharge';

const WARD = 'ward.musgrove';
const HUB = 'hub.coordinator';

describe('GET /api/hub/pathway-shares: leaders see small counts suppressed', () => {
  const clock = new ControllableClock('2026-11-25T12:00:00Z');
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock })));
  afterAll(() => t.destroy());

  it('given three P1 and six P0 discharges today, a leader sees P1 and its share suppressed, the hub the raw figures', async () => {
    const api = dischargeApi(t);
    const discharge = async (pathway: 0 | 1) => {
      const caseId = await api.referred(WARD, aReferral({ proposedPathway: pathway }));
      await api.done(HUB, caseId, 'pathway', {
        pathway,
        reason: pathway === 0 ? 'simple-discharge' : 'mdt-assessment',
        ...(pathway === 1 && { homeCareNeeded: false }),
      });
      return api.done(HUB, caseId, 'discharge', { dischargedAt: '2026-11-25T11:00:00Z', destination: '19' });
    };
    for (let i = 0; i < 6; i++) await discharge(0);
    let last: { position: string } | undefined;
    for (let i = 0; i < 3; i++) last = await discharge(1);
    await api.caughtUp('pathway-shares', last!.position);

    const hub = await api.pathwayShares(HUB);
    const admin = await api.pathwayShares('admin');
    const leader = await api.pathwayShares('leader.ics');
    expectStatus(leader, 200);

    expect(hub.json().today).toMatchObject({ counts: [6, 3, 0, 0], total: 9, shares: [66.7, 33.3, 0, 0] });
    expect(hub.json().suppression).toBeUndefined();
    expect(admin.json().today).toMatchObject({ counts: [6, 3, 0, 0], total: 9 });
    // P1's 3 is small; hiding it alone would let the total give it back, so P0's 6 goes too; the total of 9 stays.
    expect(leader.json().today).toMatchObject({
      counts: ['suppressed', 'suppressed', 0, 0],
      total: 9,
      shares: ['suppressed', 'suppressed', 0, 0],
      referred: { counts: ['suppressed', 'suppressed', 0, 0], total: 9 },
    });
    expect(leader.json()).toMatchObject({ date: '2026-11-25', suppression: { threshold: 5 } });
    expect(JSON.stringify(leader.json().today)).not.toMatch(/33\.3|66\.7/);
    expect(JSON.stringify(leader.json().monthToDate)).not.toMatch(/33\.3|66\.7|"counts":\[6,3/);
  });
});
