import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectionRegistry } from '@app/projections/projections.module';
import type { PathwaySharesView } from '@app/hub/projections/pathway-shares';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { aReferral, dischargeApi } from '../../support/discharge';

const WARD = 'ward.musgrove';
const HUB = 'hub.coordinator';
const PLANS = [
  { pathway: 0, reason: 'simple-discharge' },
  { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true },
  { pathway: 2, reason: 'mdt-assessment', bedCategory: 'rehab', intentionToReturnHome: true },
  { pathway: 3, reason: 'mdt-assessment', bedCategory: 'nursing' },
];
const DESTINATIONS = ['19', '19', '51', '55'];

describe('the pathway-shares projection: rebuild and as-of', () => {
  const clock = new ControllableClock('2026-11-25T09:00:00Z');
  const start = (dataDir?: string) => startTestApp((o) => StandaloneModule.forRoot(o), { clock, dataDir });
  let t: TestApp;
  afterEach(() => t?.destroy());

  const projection = () => t.app.get(ProjectionRegistry).get<PathwaySharesView>('pathway-shares');
  const discharge = async (pathway: number, dischargedAt: string) => {
    const api = dischargeApi(t);
    const caseId = await api.referred(WARD, aReferral({ proposedPathway: pathway }));
    await api.done(HUB, caseId, 'pathway', PLANS[pathway]);
    return api.done(HUB, caseId, 'discharge', { dischargedAt, destination: DESTINATIONS[pathway] });
  };

  it('given a burst of concurrent commands and a feed import, when the projection is rebuilt from the first event, then it equals the live view, before and after a restart', async () => {
    await clock.set('2026-11-25T09:00:00Z');
    t = await start();
    const api = dischargeApi(t);
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, (_, i) => discharge(i % 4, `2026-11-${String(20 + (i % 5)).padStart(2, '0')}T12:00:00Z`)),
    );
    const feed = readFileSync(join(__dirname, '../../../libs/discharge/src/activity-feed/samples/discharges.csv'), 'utf8');
    expect((await api.importFeed(HUB, feed)).statusCode).toBe(200);
    const withdrawn = await api.referred(WARD);
    const last = await api.done(WARD, withdrawn, 'withdraw', { reason: 'entered-in-error' });
    await projection().caughtUpTo(BigInt(last.position));

    const live = projection().current();
    const rebuilt = await projection().rebuild();

    expect(rebuilt.position).toBe(live.position);
    expect(rebuilt.view).toEqual(live.view);
    const counted = Object.values(live.view.referred).flatMap((byKey) => Object.values(byKey).flat());
    expect(counted.reduce((a, b) => a + b, 0)).toBe(outcomes.length);
    expect(Object.keys(live.view.feed)).toHaveLength(2);

    await t.close();
    t = await start(t.dataDir);
    await projection().ready;
    expect(projection().current().view).toEqual((await projection().rebuild()).view);
    expect(projection().current().position).toBe(live.position);
  });

  it('given a discharge known at 09:00 and another at 11:00, when asked as of 10:00, then only the first is counted', async () => {
    await clock.set('2026-11-25T09:00:00Z');
    t = await start();
    const first = await discharge(1, '2026-11-25T08:30:00Z');
    await clock.set('2026-11-25T11:00:00Z');
    const second = await discharge(2, '2026-11-25T10:30:00Z');
    await projection().caughtUpTo(BigInt(second.position));
    const api = dischargeApi(t);

    const before = await api.pathwayShares(HUB, '?asOf=2026-11-25T08:00:00Z');
    const between = await api.pathwayShares(HUB, '?asOf=2026-11-25T10:00:00Z');
    const now = await api.pathwayShares(HUB);

    expect(between.statusCode).toBe(200);
    expect(between.json()).toMatchObject({
      date: '2026-11-25',
      asOf: '2026-11-25T10:00:00.000Z',
      position: first.position,
      today: { counts: [0, 1, 0, 0], total: 1, shares: [0, 100, 0, 0] },
    });
    expect(before.json()).toMatchObject({ today: { total: 0 } });
    expect(now.json()).toMatchObject({ asOf: null, position: second.position, today: { counts: [0, 1, 1, 0] } });

    await t.close();
    t = await start(t.dataDir);
    await projection().ready;
    const afterRestart = await dischargeApi(t).pathwayShares(HUB, '?asOf=2026-11-25T10:00:00Z');
    const laterAfterRestart = await dischargeApi(t).pathwayShares(HUB, '?asOf=2026-11-25T12:00:00Z');
    expect(afterRestart.json()).toMatchObject({ position: first.position, today: { counts: [0, 1, 0, 0] } });
    expect(laterAfterRestart.json()).toMatchObject({ position: second.position, today: { counts: [0, 1, 1, 0] } });
  });

  it('given a query that is not a date or an instant, then it is 400 naming the parameter', async () => {
    t = await start();
    const api = dischargeApi(t);

    const responses = await Promise.all([
      api.pathwayShares(HUB, '?date=2026-02-30'),
      api.pathwayShares(HUB, '?date=25-11-2026'),
      api.pathwayShares(HUB, '?asOf=yesterday'),
    ]);

    expect(responses.map((r) => r.statusCode)).toEqual([400, 400, 400]);
    expect(responses.map((r) => r.json().errors[0].field)).toEqual(['date', 'date', 'asOf']);
  });

  it.each(['ward.musgrove', 'provider.mendip-care'])('given %s, then the pathway shares are 403', async (user) => {
    t = await start();

    const response = await dischargeApi(t).pathwayShares(user);

    expect(response.statusCode).toBe(403);
  });
});
