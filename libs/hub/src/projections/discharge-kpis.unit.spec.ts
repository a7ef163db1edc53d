import type { RecordedEvent } from '@app/event-sourcing';
import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import { forLeader, SUPPRESSED, suppressGroup } from '../kpis/for-leader';
import {
  ascof2b1,
  defaultAscofCohort,
  delayedBedDays,
  dischargeKpis,
  dischargeKpisOn,
  dischargesByPathway,
  drdToDischarge,
  hubResponsiveness,
  nctrNow,
  type DischargeKpisView,
} from './discharge-kpis';

const referenceData = loadReferenceData(defaultReferenceDataFile());

let position = 0n;
const revisions = new Map<string, number>();
const event = (type: string, data: Record<string, unknown>, streamId = `dischargeCase-${String(data.caseId)}`): RecordedEvent => {
  const revision = (revisions.get(streamId) ?? -1) + 1;
  revisions.set(streamId, revision);
  position += 1n;
  return {
    id: `e${position}`,
    type,
    schemaVersion: 1,
    streamId,
    revision,
    position,
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    data,
    metadata: { correlationId: 'c', actor: { userId: 'u', role: 'hub', organisation: 'TOCH' } } as RecordedEvent['metadata'],
  };
};

const given = (...events: RecordedEvent[]): DischargeKpisView =>
  events.reduce((view, e) => dischargeKpis.evolve(view, e), dischargeKpis.initial());

const referred = (caseId: string, over: Record<string, unknown> = {}) =>
  event('ReferralSubmitted', {
    caseId,
    patientId: 'p',
    hospital: 'RH5',
    site: 'RH5A8',
    ward: 'RH5A8-ELIOT',
    admittedOn: '2026-03-01',
    area: 'MENDIP',
    ageBand: '75-84',
    submittedAt: '2026-03-02T09:00:00.000Z',
    ...over,
  });
const assigned = (caseId: string, pathway: number, at = '2026-03-02T09:10:00.000Z') =>
  event('PathwayAssigned', { caseId, pathway, assignedAt: at });
const notMet = (caseId: string, from: string) => event('CriteriaToResideNotMet', { caseId, from });
const metAgain = (caseId: string, on: string, endedPeriodFrom: string) =>
  event('CriteriaToResideMetAgain', { caseId, on, endedPeriodFrom });
const delayOpened = (caseId: string, delayId: string, reasonCode: string, primary: boolean, openedAt: string) =>
  event('DelayOpened', { caseId, delayId, reasonCode, reasonVersion: '2024-25', primary, openedAt });
const discharged = (caseId: string, over: Record<string, unknown>) =>
  event('PatientDischarged', {
    caseId,
    pathway: 0,
    dischargedAt: '2026-03-05T12:00:00.000Z',
    dischargedOn: '2026-03-05',
    dischargeReadyDate: null,
    delayDays: 0,
    ageBand: '75-84',
    followUpDueOn: null,
    ...over,
  });

describe('discharge KPIs: edge rules', () => {
  it('counts a same-day discharge with a blank DRD as a delay of 0', () => {
    const view = given(referred('a'), assigned('a', 0), discharged('a', { dischargedOn: '2026-03-02' }));
    const figures = drdToDischarge(view, '2026-03-02', referenceData).today;
    expect(figures).toMatchObject({ count: 1, meanDays: 0, distribution: { '0': 1 } });
    expect(delayedBedDays(view, '2026-03-02', referenceData).bedDays).toBe(0);
  });

  it('a DRD reset ends one NCTR period and starts another: bed days count only NCTR days', () => {
    const view = given(
      referred('a'),
      notMet('a', '2026-03-02'),
      metAgain('a', '2026-03-04', '2026-03-02'),
      notMet('a', '2026-03-06'),
    );
    // 2 and 3 March in the first period; 6, 7, 8 in the second (open, counted through "today").
    expect(delayedBedDays(view, '2026-03-08', referenceData)).toMatchObject({ bedDays: 5, people: 1, costGbp: 5 * 395 });
    expect(nctrNow(view, '2026-03-04', referenceData).total).toBe(0);
    expect(nctrNow(view, '2026-03-03', referenceData).byDaysWaiting['1']).toBe(1);
    expect(nctrNow(view, '2026-03-08', referenceData).byDaysWaiting['2-3']).toBe(1);
  });

  it('bed days stop the day before discharge, so a finished period adds its delayDays', () => {
    const view = given(
      referred('a'),
      assigned('a', 1),
      notMet('a', '2026-02-26'),
      discharged('a', { pathway: 1, dischargedOn: '2026-03-03', dischargeReadyDate: '2026-02-26', delayDays: 5 }),
    );
    // Month to date: 1 and 2 March only (26–28 Feb are last month).
    expect(delayedBedDays(view, '2026-03-31', referenceData).bedDays).toBe(2);
    expect(delayedBedDays(view, '2026-02-28', referenceData).bedDays).toBe(3);
    expect(drdToDischarge(view, '2026-03-03', referenceData).today.byPathway['1']).toMatchObject({ count: 1, meanDays: 5 });
    expect(nctrNow(view, '2026-03-02', referenceData).total).toBe(1);
    expect(nctrNow(view, '2026-03-03', referenceData).total).toBe(0);
  });

  it('only the primary delay counts in NCTR by reason, as it stood at the end of the day', () => {
    const view = given(
      referred('a'),
      assigned('a', 2),
      notMet('a', '2026-03-02'),
      delayOpened('a', 'd1', 'CAP-P2', true, '2026-03-02T10:00:00.000Z'),
      delayOpened('a', 'd2', 'EQUIPMENT', false, '2026-03-02T11:00:00.000Z'),
      event('PrimaryDelayChanged', {
        caseId: 'a',
        primaryDelayId: 'd2',
        previousPrimaryDelayId: 'd1',
        changedAt: '2026-03-03T10:00:00.000Z',
      }),
      event('DelayClosed', { caseId: 'a', delayId: 'd2', promotedDelayId: 'd1', closedAt: '2026-03-04T10:00:00.000Z' }),
    );
    expect(nctrNow(view, '2026-03-02', referenceData).byPrimaryReason).toEqual({ 'CAP-P2': 1 });
    expect(nctrNow(view, '2026-03-03', referenceData).byPrimaryReason).toEqual({ EQUIPMENT: 1 });
    expect(nctrNow(view, '2026-03-04', referenceData).byPrimaryReason).toEqual({ 'CAP-P2': 1 });
    expect(nctrNow(view, '2026-03-04', referenceData).byPathway).toMatchObject({ '2': 1, unassigned: 0 });
  });

  it('a withdrawal takes the person out of NCTR from the day it happened', () => {
    const view = given(
      referred('a'),
      notMet('a', '2026-03-02'),
      event('CaseWithdrawn', { caseId: 'a', withdrawnAt: '2026-03-04T00:30:00.000Z' }),
    );
    expect(nctrNow(view, '2026-03-03', referenceData)).toMatchObject({ total: 1, byPathway: { unassigned: 1 } });
    expect(nctrNow(view, '2026-03-04', referenceData).total).toBe(0);
    expect(delayedBedDays(view, '2026-03-31', referenceData).bedDays).toBe(2);
  });

  it('puts days waiting in the buckets 0, 1, 2–3, 4–6, 7–13, 14–20, 21+ at their boundaries', () => {
    const drds = ['2026-03-31', '2026-03-30', '2026-03-28', '2026-03-27', '2026-03-25', '2026-03-24', '2026-03-18'];
    const more = ['2026-03-17', '2026-03-11', '2026-03-10', '2026-03-01'];
    const view = given(...[...drds, ...more].flatMap((drd, i) => [referred(`c${i}`), notMet(`c${i}`, drd)]));
    // Days: 0, 1, 3, 4, 6, 7, 13, 14, 20, 21, 30.
    expect(nctrNow(view, '2026-03-31', referenceData).byDaysWaiting).toEqual({
      '0': 1,
      '1': 1,
      '2-3': 1,
      '4-6': 2,
      '7-13': 2,
      '14-20': 2,
      '21+': 2,
    });
  });

  it('London dates across the spring clock change: 00:30 BST on 30 March is 29 March 23:30 UTC', () => {
    const view = given(referred('a', { submittedAt: '2026-03-29T23:30:00.000Z' }), assigned('a', 0, '2026-03-29T23:50:00.000Z'));
    const responsiveness = hubResponsiveness(view, '2026-03-30', referenceData);
    expect(responsiveness.triagedOrAssigned.today).toMatchObject({ measured: 1, withinLimit: 1 });
    expect(hubResponsiveness(view, '2026-03-29', referenceData).triagedOrAssigned.today.measured).toBe(0);
  });

  it('measures responsiveness against the service levels, and reports who is still waiting', () => {
    const view = given(
      referred('a'),
      event('ReferralAccepted', { caseId: 'a', acceptedAt: '2026-03-02T09:15:00.000Z' }),
      assigned('a', 1, '2026-03-02T09:31:00.000Z'),
      referred('b'),
      event('ReferralAccepted', { caseId: 'b', acceptedAt: '2026-03-02T09:15:01.000Z' }),
      referred('c'),
    );
    const r = hubResponsiveness(view, '2026-03-02', referenceData);
    expect(r.referralAccepted.today).toMatchObject({ measured: 2, withinLimit: 1, share: 50, waiting: 1 });
    expect(r.triagedOrAssigned.today).toMatchObject({ measured: 1, withinLimit: 0, share: 0, waiting: 2 });
  });

  it('uses the feed as denominator only when every trust reported every day of the window', () => {
    const feed = (trust: string, date: string, counts: number[]) =>
      event(
        'AcuteDischargesReported',
        {
          trust,
          date,
          rows: counts.map((count, pathway) => ({
            site: 'X',
            pathway,
            destination: '19',
            ageBand: '85+',
            area: 'MENDIP',
            count,
          })),
        },
        `acuteActivity-${trust}.discharges.${date}`,
      );
    const view = given(
      referred('a'),
      assigned('a', 1),
      discharged('a', { pathway: 1, dischargedOn: '2026-03-02' }),
      feed('RH5', '2026-03-02', [90, 5, 4, 1]),
    );
    expect(dischargesByPathway(view, '2026-03-02', referenceData).today).toMatchObject({
      basis: 'referred-discharges',
      counts: [0, 1, 0, 0],
    });
    const both = given(...[feed('RA4', '2026-03-02', [9, 1, 0, 0])]);
    Object.assign(both.feedDischarges, view.feedDischarges);
    const today = dischargesByPathway(both, '2026-03-02', referenceData).today;
    expect(today).toMatchObject({ basis: 'acute-activity-feed', counts: [99, 6, 4, 1], total: 110 });
    expect(today.homeFirst[0]).toMatchObject({ count: 105, share: 95.5, met: true });
    expect(today.homeFirst[1]).toMatchObject({ count: 5, share: 4.5, met: true });
    expect(dischargesByPathway(both, '2026-03-02', referenceData, { hospital: 'RA4' }).today.counts).toEqual([9, 1, 0, 0]);
    // A re-report replaces the day.
    const superseded = given(feed('RA4', '2026-03-03', [1, 0, 0, 0]), feed('RA4', '2026-03-03', [2, 0, 0, 0]));
    expect(dischargesByPathway(superseded, '2026-03-03', referenceData, { hospital: 'RA4' }).today.counts).toEqual([2, 0, 0, 0]);
  });

  it('ASCOF 2B(1): at home over recorded follow-ups; pending reported apart', () => {
    const cohortCase = (id: string, result?: string) => [
      referred(id, { ageBand: '85+' }),
      assigned(id, 1),
      discharged(id, { pathway: 1, dischargedOn: '2026-10-05', followUpDueOn: '2027-01-04' }),
      ...(result ? [event('NinetyOneDayFollowUpRecorded', { caseId: id, result, countsAsAtHome: result === 'at-home' })] : []),
    ];
    const view = given(...cohortCase('a', 'at-home'), ...cohortCase('b', 'died'), ...cohortCase('c'));
    expect(defaultAscofCohort('2027-01-10')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(defaultAscofCohort('2026-10-01')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(defaultAscofCohort('2026-09-30')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(ascof2b1(view, '2027-01-10', referenceData)).toMatchObject({
      cohortSize: 3,
      atHome: 1,
      followedUp: 2,
      rate: 50,
      pending: 1,
      overdue: 1,
      byResult: { 'at-home': 1, died: 1 },
    });
    expect(ascof2b1(view, '2027-01-10', referenceData, {}, { from: '2026-11-01', to: '2026-11-30' }).cohortSize).toBe(0);
  });

  it('is idempotent by (streamId, revision)', () => {
    const e = referred('a');
    const view = given(e, assigned('a', 0), discharged('a', { dischargedOn: '2026-03-02' }));
    dischargeKpis.evolve(view, e);
    expect(view.cases.a.discharge).not.toBeNull();
  });
});

describe('leader view', () => {
  it('hides counts 1..threshold-1, one more cell when a lone hidden count could be derived, and shares from hidden counts', () => {
    expect(suppressGroup([10, 3, 0, 7], (n) => referenceData.isSuppressed(n))).toEqual([10, SUPPRESSED, 0, SUPPRESSED]);
    expect(suppressGroup([10, 3, 2, 7], (n) => referenceData.isSuppressed(n))).toEqual([10, SUPPRESSED, SUPPRESSED, 7]);
    const events = [
      ...Array.from({ length: 12 }, (_, i) => [
        referred(`p0-${i}`),
        assigned(`p0-${i}`, 0),
        discharged(`p0-${i}`, { dischargedOn: '2026-03-02' }),
      ]).flat(),
      referred('p2'),
      assigned('p2', 2),
      discharged('p2', { pathway: 2, dischargedOn: '2026-03-02' }),
    ];
    const kpis = dischargeKpisOn(given(...events), '2026-03-02', referenceData);
    const leader = forLeader(kpis, referenceData);
    expect(leader.dischargesByPathway.today.counts).toEqual([SUPPRESSED, 0, SUPPRESSED, 0]);
    expect(leader.dischargesByPathway.today.shares).toEqual([SUPPRESSED, 0, SUPPRESSED, 0]);
    expect(leader.dischargesByPathway.today.total).toBe(13);
    expect(leader.dischargesByPathway.today.homeFirst.every((m) => m.share === SUPPRESSED)).toBe(true);
    expect(JSON.stringify(leader)).not.toContain('"patientId"');
  });
});
