import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@app/event-sourcing';
import { EVENT_STORE } from '@app/platform';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { dischargeApi } from '../../support/discharge';

const HUB = 'hub.coordinator';
const samples = join(__dirname, '../../../libs/discharge/src/activity-feed/samples');
const dischargesCsv = readFileSync(join(samples, 'discharges.csv'), 'utf8');

describe('the acute activity feed import', () => {
  let t: TestApp;
  let api: ReturnType<typeof dischargeApi>;
  const clock = new ControllableClock('2026-11-25T10:00:00Z');
  beforeEach(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock });
    api = dischargeApi(t);
  });
  afterEach(() => t.destroy());

  const sharesOn = async (date: string) => {
    const response = await api.pathwayShares(HUB, `?date=${date}`);
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  /** The import answers with streams, not positions: wait for the last event of each. */
  const waitForShares = async (imported: { reports: Array<{ streamId: string }> }) => {
    for (const { streamId } of imported.reports) {
      const events = await t.app.get<EventStore>(EVENT_STORE).readStream(streamId);
      await api.caughtUp('pathway-shares', events.at(-1)!.position.toString());
    }
  };

  it('given the sample CSV, when it is imported twice, then the first import records each day and the second changes nothing', async () => {
    const first = await api.importFeed(HUB, dischargesCsv);
    const second = await api.importFeed(HUB, dischargesCsv);

    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ kind: 'discharges', rows: 9, changed: 2, unchanged: 0 });
    expect(
      first
        .json()
        .reports.map((r: { streamId: string }) => r.streamId)
        .sort(),
    ).toEqual(['acuteActivity-RH5.discharges.2026-11-23', 'acuteActivity-RH5.discharges.2026-11-24']);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ changed: 0, unchanged: 2 });
    expect(second.json().reports.every((r: { changed: boolean }) => !r.changed)).toBe(true);
  });

  it('given a day the feed covers, then its pathway shares switch from referred discharges to the whole acute activity', async () => {
    const before = await sharesOn('2026-11-23');

    const imported = await api.importFeed(HUB, dischargesCsv);
    await waitForShares(imported.json());
    const after = await sharesOn('2026-11-23');

    expect(before.today).toMatchObject({ basis: 'referred-discharges', label: 'of referred discharges', feed: null });
    expect(after.today).toMatchObject({
      basis: 'acute-activity-feed',
      counts: [58, 4, 2, 1],
      total: 65,
      shares: [89.2, 6.2, 3.1, 1.5],
      feed: { daysCovered: 1 },
    });
    // Month to date: the feed covers one of the 23 days, so the denominator stays the referred discharges.
    expect(after.monthToDate).toMatchObject({ basis: 'referred-discharges', feed: { total: 65, daysCovered: 1 } });
  });

  it('given a day already reported, when the trust sends that day again with other counts, then the new report replaces it', async () => {
    await api.importFeed(HUB, dischargesCsv);

    const corrected = dischargesCsv.replace(
      '2026-11-23,RH5,RH5A8,1,19,85+,SOMERSET_WEST_AND_TAUNTON,4',
      '2026-11-23,RH5,RH5A8,1,19,85+,SOMERSET_WEST_AND_TAUNTON,9',
    );
    const reimport = await api.importFeed(HUB, corrected);
    await waitForShares(reimport.json());

    expect(reimport.json()).toMatchObject({ changed: 1, unchanged: 1 });
    expect((await sharesOn('2026-11-23')).today).toMatchObject({ basis: 'acute-activity-feed', counts: [58, 9, 2, 1] });
  });

  it('given a CSV with bad cells, then it is 400 listing each row and column, and nothing is recorded', async () => {
    const bad = [
      'period_date,trust_ods,site_ods,pathway,destination_code,age_band,area,discharges',
      '2026-11-23,RH5,RH5A8,7,19,18-64,SOMERSET_WEST_AND_TAUNTON,41',
      '2026-02-30,RH5,RH5A8,0,19,18-64,MENDIP,lots',
    ].join('\n');

    const response = await api.importFeed(HUB, bad);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_ACTIVITY_FEED' });
    expect(response.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, field: 'pathway', rule: 'pathway' }),
        expect.objectContaining({ row: 3, field: 'period_date', rule: 'date' }),
        expect.objectContaining({ row: 3, field: 'discharges', rule: 'count' }),
      ]),
    );
    expect((await sharesOn('2026-11-23')).today.feed).toBeNull();
  });

  it('given a file in neither format, then it is 400 naming the Content-Type', async () => {
    const response = await api.importFeed(HUB, dischargesCsv, 'text/plain');

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'UNSUPPORTED_FEED_FORMAT',
      errors: [expect.objectContaining({ field: 'Content-Type' })],
    });
  });

  it.each(['ward.musgrove', 'leader.ics'])('given %s, then importing is 403', async (user) => {
    const response = await api.importFeed(user, dischargesCsv);

    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'ROLE_NOT_PERMITTED' });
  });
});
