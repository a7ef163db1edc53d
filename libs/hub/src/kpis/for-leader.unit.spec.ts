import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import { figuresFor, pathwaySharesOn, type PathwaySharesView } from '../projections/pathway-shares';
import { londonDay } from '@app/time';
import { pathwaySharesForLeader, sharesForLeader, SUPPRESSED } from './for-leader';

const referenceData = loadReferenceData(defaultReferenceDataFile());

describe('pathway shares for a leader', () => {
  // Today: P1 3 (small), P3 12; the month before today adds P0 40 and P2 8.
  const view: PathwaySharesView = {
    cases: {},
    referred: {
      '2026-11-25': { 'RH5|MENDIP|85+': [0, 3, 0, 12] },
      '2026-11-10': { 'RH5|SEDGEMOOR|65-74': [40, 0, 8, 0] },
    },
    feed: {},
  };
  const answer = { date: '2026-11-25', asOf: null, position: '7', ...pathwaySharesOn(view, '2026-11-25') };

  it('hides a count of 1–4 and every share derived from it, with secondary suppression in the group', () => {
    const leader = pathwaySharesForLeader(answer, referenceData);

    expect(referenceData.contents.leaderViews.smallCountSuppressionThreshold).toBe(5);
    expect(leader.today.counts).toEqual([0, SUPPRESSED, 0, SUPPRESSED]);
    expect(leader.today.shares).toEqual([0, SUPPRESSED, 0, SUPPRESSED]);
    expect(leader.today.total).toBe(15);
    expect(leader.today.referred.counts).toEqual([0, SUPPRESSED, 0, SUPPRESSED]);
    // Nothing in the leader's answer gives back the hidden 3 or the 12 it would be derived from.
    expect(JSON.stringify(leader.today)).not.toMatch(/\b(3|12|20|80)\b/);
    expect(leader.monthToDate.counts).toEqual([40, SUPPRESSED, SUPPRESSED, 12]);
    expect(leader.monthToDate.shares).toEqual([63.5, SUPPRESSED, SUPPRESSED, 19]);
    expect(leader).toMatchObject({ date: '2026-11-25', position: '7', suppression: { threshold: 5 } });
  });

  it('leaves the figures as they are for the hub (the raw answer is not touched)', () => {
    pathwaySharesForLeader(answer, referenceData);

    expect(answer.today.counts).toEqual([0, 3, 0, 12]);
    expect(answer.today.shares).toEqual([0, 20, 0, 80]);
  });

  it('hides the total, and so every share, when the total is small', () => {
    const small = sharesForLeader(
      figuresFor({ ...view, referred: { '2026-11-25': { k: [0, 2, 0, 0] } } }, londonDay('2026-11-25')),
      referenceData,
    );

    expect(small).toMatchObject({
      counts: [0, SUPPRESSED, 0, 0],
      total: SUPPRESSED,
      shares: [SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED],
    });
  });
});
