import { DeadlineScheduler } from '@app/platform';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { aCommunityReferral, communityReferralsApi } from './community-referrals-api';

describe('community referrals: the urgent response against the 2-hour service level', () => {
  const clock = new ControllableClock('2026-11-25T10:00:00Z');
  let t: TestApp;
  let api: ReturnType<typeof communityReferralsApi>;
  beforeAll(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock });
    api = communityReferralsApi(t);
  });
  afterAll(() => t.destroy());

  it('a response at 90 minutes is within, one at 150 minutes is over, and one never made is raised as a breach at 2 hours', async () => {
    const within = (await api.submitted(aCommunityReferral())).referralId;
    expect((await api.read(within)).facts).toMatchObject({
      urgency: 'urgent',
      serviceLevel: { id: 'step-up-urgent-community-response', withinMinutes: 120 },
      respondBy: '2026-11-25T12:00:00.000Z',
    });
    await clock.advance(90 * 60_000);
    const first = await api.ok(api.act(within, 'first-response', { respondedAt: '2026-11-25T11:30:00Z' }));
    expect(first.events.map((e: { type: string }) => e.type)).toEqual(['FirstResponseRecorded']);

    const over = (await api.submitted(aCommunityReferral())).referralId;
    const breached = (await api.submitted(aCommunityReferral())).referralId;
    const scheduler = t.app.get(DeadlineScheduler);
    await scheduler.whenCaughtUp();
    await clock.advance(150 * 60_000);
    await scheduler.tick();
    await api.ok(api.act(over, 'first-response', { respondedAt: '2026-11-25T14:00:00Z' }));
    await api.settle();

    const history = await api.history(breached);
    expect(history.map((e) => e.type)).toEqual(['CommunityReferralSubmitted', 'ResponseServiceLevelBreached']);
    expect((await api.history(within)).map((e) => e.type)).not.toContain('ResponseServiceLevelBreached');

    const measures = await api.measures();
    expect(measures.response).toMatchObject({
      serviceLevel: 'step-up-urgent-community-response',
      within: 1,
      over: 1,
      overdue: 1,
      awaiting: 0,
      percentWithin: 33.3,
    });
    const rows = await api.ok(api.get('hub.coordinator', '/api/community-referrals'));
    expect(rows.find((r: { referralId: string }) => r.referralId === over).response).toMatchObject({
      result: 'over',
      minutesToRespond: 150,
    });
    expect(JSON.stringify(rows)).not.toMatch(/Seacole|nhsNumber|postcode|patientId/);
  });
});
