import type { DomainEvent, RecordedEvent } from '@app/event-sourcing';
import type { AcuteDischargesReportedData, Pathway } from '@app/discharge';
import { dischargeCaseForSpecs, pathwayAssigned, recordDischarge, referralSubmitted } from '@app/discharge/testing/builders';
import { pathwaySharesOn, pathwayShares } from './pathway-shares';

// ─── Builders ───────────────────────────────────────────────────────────────────────────────────────────

let nextCase = 0;
const DESTINATION: Record<Pathway, string> = { 0: '19', 1: '19', 2: '51', 3: '55' };

/**
 * A referred case discharged on `pathway` at the instant `at`. The discharge event comes from the decider
 * itself, so the London date the projection groups by is the one the product really records.
 */
const discharged = (pathway: Pathway, at: string, referral: { hospital?: string; area?: string; ageBand?: string } = {}) => {
  const caseId = `00000000-0000-4000-8000-${String(++nextCase).padStart(12, '0')}`;
  const submitted = referralSubmitted({ caseId, admittedOn: '2026-01-01', ...referral });
  const plan = pathwayAssigned({
    caseId,
    pathway,
    ...(pathway === 2 && { bedCategory: 'rehab', intentionToReturnHome: true }),
    ...(pathway === 3 && { bedCategory: 'nursing' }),
  });
  const state = [submitted, plan].reduce(dischargeCaseForSpecs.evolve, dischargeCaseForSpecs.initialState());
  const [discharge] = [
    dischargeCaseForSpecs.decide(recordDischarge({ caseId, dischargedAt: at, destination: DESTINATION[pathway], at }), state),
  ]
    .flat()
    .filter((event) => event.type === 'PatientDischarged');
  return [submitted, plan, discharge];
};

const referredOnly = () => [referralSubmitted({ caseId: `00000000-0000-4000-9000-${String(++nextCase).padStart(12, '0')}` })];

/** A trust's whole day from the acute activity feed: counts by pathway 0..3. */
const feedReport = (trust: string, date: string, counts: [number, number, number, number]) => [
  {
    type: 'AcuteDischargesReported',
    data: {
      trust,
      date,
      rows: counts.map((count, pathway) => ({
        site: 'RH5A8',
        pathway,
        destination: '19',
        ageBand: '85+',
        area: 'MENDIP',
        count,
      })),
      total: counts.reduce((a, b) => a + b, 0),
      contentHash: `sha256:${trust}${date}${counts.join('')}`,
      source: 'csv',
      importedBy: 'hub.coordinator',
    } as AcuteDischargesReportedData,
  },
];

const given = (...histories: Array<Array<Pick<DomainEvent<string, unknown>, 'type' | 'data'>>>) => {
  const recorded = histories.flat().map((event, i): RecordedEvent => ({
    id: `event-${i}`,
    type: event.type,
    schemaVersion: 1,
    streamId: event.type === 'AcuteDischargesReported' ? 'acuteActivity-x' : 'dischargeCase-x',
    revision: i,
    position: BigInt(i + 1),
    occurredAt: '2026-01-01T00:00:00Z',
    recordedAt: '2026-01-01T00:00:00Z',
    data: event.data,
    metadata: { correlationId: 'c', causationId: 'c', actor: { userId: 'u', role: 'hub', organisation: 'TOCH' } },
  }));
  const view = recorded.reduce(pathwayShares.evolve, pathwayShares.initial());
  return { on: (date: string) => pathwaySharesOn(view, date) };
};

// ─── Specs ──────────────────────────────────────────────────────────────────────────────────────────────

describe('pathway shares', () => {
  it('given nothing discharged, then both windows are empty, on referred discharges, with no shares', () => {
    const figures = given(referredOnly(), referredOnly()).on('2026-11-23');

    for (const window of [figures.today, figures.monthToDate]) {
      expect(window).toMatchObject({
        basis: 'referred-discharges',
        label: 'of referred discharges',
        counts: [0, 0, 0, 0],
        total: 0,
        shares: [null, null, null, null],
        feed: null,
      });
    }
    expect(figures.monthToDate.window).toEqual({ firstDate: '2026-11-01', lastDate: '2026-11-23' });
  });

  it('given discharges today on each pathway, then today counts them by pathway with their shares', () => {
    const figures = given(
      discharged(0, '2026-11-23T10:00:00Z'),
      discharged(1, '2026-11-23T11:00:00Z'),
      discharged(1, '2026-11-23T12:00:00Z'),
      discharged(2, '2026-11-23T13:00:00Z'),
    ).on('2026-11-23');

    expect(figures.today).toMatchObject({ counts: [1, 2, 1, 0], total: 4, shares: [25, 50, 25, 0] });
    expect(figures.today.referred).toEqual({ counts: [1, 2, 1, 0], total: 4 });
  });

  it('given referrals not yet discharged, then they are not counted', () => {
    expect(given(referredOnly(), discharged(3, '2026-11-23T10:00:00Z')).on('2026-11-23').today.counts).toEqual([0, 0, 0, 1]);
  });

  describe('windows', () => {
    const history = [
      discharged(0, '2026-10-31T12:00:00Z'), // last day of the previous month
      discharged(1, '2026-11-01T00:30:00Z'), // first day of the month
      discharged(2, '2026-11-22T23:59:00Z'), // yesterday
      discharged(3, '2026-11-23T00:00:00Z'), // the first minute of today
      discharged(0, '2026-11-24T09:00:00Z'), // tomorrow
    ];

    it('given discharges around today, then today is only today and month to date runs from the 1st to today', () => {
      const figures = given(...history).on('2026-11-23');

      expect(figures.today).toMatchObject({ window: { firstDate: '2026-11-23', lastDate: '2026-11-23' }, counts: [0, 0, 0, 1] });
      expect(figures.monthToDate).toMatchObject({ counts: [0, 1, 1, 1], total: 3 });
    });

    it('given the 1st of the month, then month to date is that one day', () => {
      const figures = given(...history).on('2026-11-01');

      expect(figures.monthToDate).toMatchObject({
        window: { firstDate: '2026-11-01', lastDate: '2026-11-01' },
        counts: [0, 1, 0, 0],
      });
      expect(figures.today.counts).toEqual(figures.monthToDate.counts);
    });

    it('given the last day of a month, then the next month’s discharges stay out of it', () => {
      expect(given(...history).on('2026-10-31').monthToDate.counts).toEqual([1, 0, 0, 0]);
    });
  });

  describe('London dates', () => {
    it('given a discharge at 23:30 UTC on 31 October 2026 (GMT), then it counts on 31 October and in October', () => {
      const history = discharged(1, '2026-10-31T23:30:00Z');

      expect(given(history).on('2026-10-31')).toMatchObject({ today: { total: 1 }, monthToDate: { total: 1 } });
      expect(given(history).on('2026-11-01')).toMatchObject({ today: { total: 0 }, monthToDate: { total: 0 } });
    });

    it('given a discharge at 23:30 UTC on 30 June 2026 (BST), then it counts on 1 July, London’s next day, and not in June', () => {
      const history = discharged(1, '2026-06-30T23:30:00Z');

      expect(given(history).on('2026-06-30')).toMatchObject({ today: { total: 0 }, monthToDate: { total: 0 } });
      expect(given(history).on('2026-07-01')).toMatchObject({ today: { total: 1 }, monthToDate: { total: 1 } });
    });
  });

  describe('the acute activity feed', () => {
    it('given a feed for today, then it is the denominator instead of the referred discharges, which are still shown', () => {
      const figures = given(discharged(1, '2026-11-23T10:00:00Z'), feedReport('RH5', '2026-11-23', [90, 5, 4, 1])).on(
        '2026-11-23',
      );

      expect(figures.today).toMatchObject({
        basis: 'acute-activity-feed',
        label: 'of all discharges (acute activity feed)',
        counts: [90, 5, 4, 1],
        total: 100,
        shares: [90, 5, 4, 1],
        referred: { counts: [0, 1, 0, 0], total: 1 },
        feed: { counts: [90, 5, 4, 1], total: 100, daysCovered: 1 },
      });
    });

    it('given a trust re-reports a day, then the latest report supersedes the earlier one rather than adding to it', () => {
      const figures = given(feedReport('RH5', '2026-11-23', [10, 0, 0, 0]), feedReport('RH5', '2026-11-23', [7, 2, 0, 1])).on(
        '2026-11-23',
      );

      expect(figures.today).toMatchObject({ counts: [7, 2, 0, 1], total: 10 });
    });

    it('given two trusts report the same day, then their counts add up', () => {
      const figures = given(feedReport('RH5', '2026-11-23', [10, 1, 0, 0]), feedReport('RA4', '2026-11-23', [5, 1, 1, 0])).on(
        '2026-11-23',
      );

      expect(figures.today).toMatchObject({ counts: [15, 2, 1, 0], total: 18 });
    });

    it('given the feed covers only some days of the month, then month to date stays on referred discharges; once it covers every day, it switches', () => {
      const referred = discharged(1, '2026-11-02T10:00:00Z');
      const partly = given(referred, feedReport('RH5', '2026-11-01', [3, 0, 0, 0])).on('2026-11-02');
      const fully = given(
        referred,
        feedReport('RH5', '2026-11-01', [3, 0, 0, 0]),
        feedReport('RH5', '2026-11-02', [4, 1, 0, 0]),
      ).on('2026-11-02');

      expect(partly.monthToDate).toMatchObject({
        basis: 'referred-discharges',
        counts: [0, 1, 0, 0],
        feed: { total: 3, daysCovered: 1 },
      });
      expect(fully.monthToDate).toMatchObject({ basis: 'acute-activity-feed', counts: [7, 1, 0, 0], total: 8 });
    });

    it('given a feed for another day only, then today stays on referred discharges', () => {
      const figures = given(discharged(0, '2026-11-23T10:00:00Z'), feedReport('RH5', '2026-11-22', [50, 0, 0, 0])).on(
        '2026-11-23',
      );

      expect(figures.today).toMatchObject({ basis: 'referred-discharges', counts: [1, 0, 0, 0], feed: null });
    });
  });

  it('given shares that do not divide evenly, then each is a percentage to one decimal place', () => {
    const thirds = given(
      discharged(0, '2026-11-23T10:00:00Z'),
      discharged(1, '2026-11-23T10:00:00Z'),
      discharged(2, '2026-11-23T10:00:00Z'),
    ).on('2026-11-23');
    const feed = given(feedReport('RH5', '2026-11-23', [2, 1, 0, 0]), feedReport('RA4', '2026-11-23', [5, 0, 0, 1])).on(
      '2026-11-23',
    );

    expect(thirds.today.shares).toEqual([33.3, 33.3, 33.3, 0]);
    expect(feed.today.shares).toEqual([77.8, 11.1, 0, 11.1]);
  });

  it('given events the projection does not read, then the view does not change', () => {
    const before = given(discharged(0, '2026-11-23T10:00:00Z')).on('2026-11-23');
    const after = given(discharged(0, '2026-11-23T10:00:00Z'), [
      { type: 'NctrListReported', data: { trust: 'RH5', snapshotDate: '2026-11-23', rows: [] } },
      { type: 'CaseWithdrawn', data: { caseId: 'someone-else' } },
    ]).on('2026-11-23');

    expect(after).toEqual(before);
  });
});
