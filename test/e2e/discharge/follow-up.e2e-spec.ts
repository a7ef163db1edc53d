import type { EventStore } from '@app/event-sourcing';
import { DeadlineScheduler, EVENT_STORE } from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { aReferral, dischargeApi } from '../../support/discharge';

const WARD = 'ward.musgrove';
const HUB = 'hub.coordinator';

describe('the ASCOF 2B(1) 91-day follow-up', () => {
  const clock = new ControllableClock('2026-11-25T10:00:00Z');
  const start = (dataDir?: string) => startTestApp((o) => StandaloneModule.forRoot(o), { clock, dataDir });
  let t: TestApp;
  afterAll(() => t?.destroy());

  const dischargedOnP1 = async (dateOfBirth: string) => {
    const api = dischargeApi(t);
    const caseId = await api.referred(WARD, aReferral({ patient: { dateOfBirth } }));
    await api.done(HUB, caseId, 'pathway', { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true });
    await api.done(HUB, caseId, 'discharge', { dischargedAt: '2026-11-25T09:00:00Z', destination: '19' });
    return caseId;
  };

  /** The case list is a projection: wait until it has folded everything the case's stream holds. */
  const listOnceCaughtUp = async (caseIds: string[]) => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const list = t.app.get(ProjectionRegistry).get('discharge-case-list');
    for (const caseId of caseIds) {
      const events = await store.readStream(`dischargeCase-${caseId}`);
      await list.caughtUpTo(events.at(-1)!.position);
    }
    const rows = (await dischargeApi(t).list(HUB)).json() as Array<{ caseId: string; followUpDue: boolean }>;
    return new Map(rows.map((row) => [row.caseId, row.followUpDue]));
  };

  it('given P1 discharges of a person aged 65+ and one under 65, when the app restarts 91 days later, then only the 65+ follow-up falls due, once, and can be recorded once', async () => {
    t = await start();
    const older = await dischargedOnP1('1940-12-10');
    const younger = await dischargedOnP1('1990-06-01');
    let api = dischargeApi(t);
    expect((await api.history(HUB, older)).at(-1)?.data).toMatchObject({ ageBand: '85+', followUpDueOn: '2027-02-24' });
    expect((await api.history(HUB, younger)).at(-1)?.data).toMatchObject({ ageBand: '18-64', followUpDueOn: null });
    const tooEarly = await api.act(HUB, older, 'follow-up', { result: 'at-home' });
    expect(tooEarly.statusCode).toBe(422);
    expect(tooEarly.json()).toMatchObject({ code: 'FOLLOW_UP_NOT_YET_DUE' });
    await t.close();

    await clock.advance({ days: 91 });
    t = await start(t.dataDir);
    const scheduler = t.app.get(DeadlineScheduler);
    await scheduler.whenCaughtUp();
    await scheduler.tick();
    expect(await scheduler.tick()).toBe(0);

    api = dischargeApi(t);
    const olderHistory = await api.history(HUB, older);
    expect(olderHistory.filter((e) => e.type === 'NinetyOneDayFollowUpDue').map((e) => e.data)).toEqual([
      expect.objectContaining({ caseId: older, dueOn: '2027-02-24' }),
    ]);
    expect((await api.history(HUB, younger)).map((e) => e.type)).not.toContain('NinetyOneDayFollowUpDue');
    const due = await listOnceCaughtUp([older, younger]);
    expect([due.get(older), due.get(younger)]).toEqual([true, false]);

    const recorded = await api.act(HUB, older, 'follow-up', { result: 'at-home', note: 'Spoke to daughter' });
    const again = await api.act(HUB, older, 'follow-up', { result: 'in-hospital' });

    expect(recorded.statusCode).toBe(200);
    const last = (await api.history(HUB, older)).at(-1);
    expect(last).toMatchObject({
      type: 'NinetyOneDayFollowUpRecorded',
      data: { result: 'at-home', countsAsAtHome: true, dueOn: '2027-02-24' },
      note: 'Spoke to daughter',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'FOLLOW_UP_ALREADY_RECORDED' });
    expect((await listOnceCaughtUp([older])).get(older)).toBe(false);
  });
});
