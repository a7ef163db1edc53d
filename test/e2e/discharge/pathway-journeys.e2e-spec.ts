import { randomUUID } from 'node:crypto';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { aReferral, dischargeApi } from '../../support/discharge';

const WARD = 'ward.musgrove';
const HUB = 'hub.coordinator';

describe('discharge journeys by pathway', () => {
  let t: TestApp;
  let api: ReturnType<typeof dischargeApi>;
  const clock = new ControllableClock('2026-11-25T10:00:00Z');
  beforeAll(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock });
    api = dischargeApi(t);
  });
  afterAll(() => t.destroy());

  const typesOf = (history: Array<{ type: string }>) => history.map((entry) => entry.type);
  const eventOf = (history: Array<{ type: string; data: Record<string, unknown> }>, type: string) =>
    history.filter((entry) => entry.type === type).at(-1)?.data;

  it('given a ward referral, when the ward records pathway 0 itself and discharges home, then the case is closed on P0 with no delay and no follow-up', async () => {
    const caseId = await api.referred(WARD, aReferral({ proposedPathway: 0 }));

    const assigned = await api.done(WARD, caseId, 'pathway', { pathway: 0, reason: 'simple-discharge' });
    await api.caughtUp('pathway-shares', assigned.position);
    const before = (await api.pathwayShares(HUB, '?date=2026-11-25')).json().today.referred.counts[0];

    const discharged = await api.done(WARD, caseId, 'discharge', { dischargedAt: '2026-11-25T09:30:00Z', destination: '19' });

    const read = await api.read(WARD, caseId);
    expect(read.json()).toMatchObject({ status: 'discharged', facts: { plan: { pathway: 0 } } });
    expect(typesOf(read.json().history)).toEqual(['ReferralSubmitted', 'PathwayAssigned', 'PatientDischarged']);
    expect(eventOf(read.json().history, 'PatientDischarged')).toMatchObject({
      pathway: 0,
      destination: '19',
      dischargedOn: '2026-11-25',
      dischargeReadyDate: null,
      delayDays: 0,
      followUpDueOn: null,
    });
    expect(read.json().history.map((e: { by: { userId: string } }) => e.by.userId)).toEqual([WARD, WARD, WARD]);
    await api.caughtUp('pathway-shares', discharged.position);
    const shares = await api.pathwayShares(HUB, '?date=2026-11-25');
    expect(shares.json().today.referred.counts[0]).toBe(before + 1);
  });

  it('given a ward, when it tries to put a case on pathway 1, then it is 403 and only the hub may', async () => {
    const caseId = await api.referred(WARD);

    const byWard = await api.act(WARD, caseId, 'pathway', { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true });
    const byHub = await api.act(HUB, caseId, 'pathway', { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true });

    expect(byWard.statusCode).toBe(403);
    expect(byWard.json()).toMatchObject({ code: 'PATHWAY_NEEDS_HUB' });
    expect(byHub.statusCode).toBe(200);
  });

  it('given P1 with criteria to reside not met from D1, met again, then not met from D2, when discharged, then the DRD is D2 and the delay days count from D2', async () => {
    const caseId = await api.referred(WARD);
    await api.done(HUB, caseId, 'accept');
    await api.done(HUB, caseId, 'pathway', { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true });
    await api.done(WARD, caseId, 'criteria-to-reside/not-met', { from: '2026-11-18' });
    const earlyDelay = randomUUID();
    await api.done(WARD, caseId, 'delays', { delayId: earlyDelay, reasonCode: 'HOSP-TRANSPORT' });
    await api.done(WARD, caseId, 'criteria-to-reside/met-again', { on: '2026-11-19' });
    await api.done(WARD, caseId, 'criteria-to-reside/not-met', { from: '2026-11-21' });

    await api.done(HUB, caseId, 'discharge', { dischargedAt: '2026-11-25T09:00:00Z', destination: '19' });

    const history = await api.history(HUB, caseId);
    expect(eventOf(history, 'CriteriaToResideMetAgain')).toMatchObject({ on: '2026-11-19', endedPeriodFrom: '2026-11-18' });
    expect(history.find((e) => e.type === 'DelayClosed' && e.data.delayId === earlyDelay)?.data).toMatchObject({
      closure: 'criteria-to-reside-met-again',
    });
    expect(eventOf(history, 'PatientDischarged')).toMatchObject({
      pathway: 1,
      homeCareNeeded: true,
      dischargeReadyDate: '2026-11-21',
      delayDays: 4,
    });
  });

  it('given two open delays, when the second is made primary and the first closed, then exactly one stays primary and the history shows each step', async () => {
    const caseId = await api.referred(WARD);
    await api.done(HUB, caseId, 'pathway', { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true });
    await api.done(WARD, caseId, 'criteria-to-reside/not-met', { from: '2026-11-20' });
    const [capacity, housing] = [randomUUID(), randomUUID()];

    await api.done(HUB, caseId, 'delays', { delayId: capacity, reasonCode: 'CAP-P1' });
    await api.done(HUB, caseId, 'delays', { delayId: housing, reasonCode: 'HOUSING', note: 'Key safe not yet fitted' });
    await api.done(HUB, caseId, `delays/${housing}/primary`);
    await api.done(HUB, caseId, `delays/${capacity}/close`);

    const read = (await api.read(HUB, caseId)).json();
    const opened = read.history.filter((e: { type: string }) => e.type === 'DelayOpened');
    expect(opened.map((e: { data: object }) => e.data)).toEqual([
      expect.objectContaining({ delayId: capacity, reasonCode: 'CAP-P1', reasonVersion: '2024-25', primary: true }),
      expect.objectContaining({ delayId: housing, reasonCode: 'HOUSING', primary: false }),
    ]);
    expect(opened[1].note).toBe('Key safe not yet fitted');
    expect(eventOf(read.history, 'PrimaryDelayChanged')).toMatchObject({
      primaryDelayId: housing,
      previousPrimaryDelayId: capacity,
    });
    expect(eventOf(read.history, 'DelayClosed')).toMatchObject({ delayId: capacity, closure: 'resolved', promotedDelayId: null });
    expect(read.facts.delays).toEqual([expect.objectContaining({ delayId: housing, primary: true })]);

    await api.done(HUB, caseId, 'discharge', { dischargedAt: '2026-11-25T09:00:00Z', destination: '19' });
    const closedAtDischarge = (await api.history(HUB, caseId)).filter((e) => e.type === 'DelayClosed').at(-1);
    expect(closedAtDischarge?.data).toMatchObject({ delayId: housing, closure: 'discharged' });
  });

  it('given P2 rehab changed to P3 nursing, when discharged, then the change names the previous pathway and only a care-home destination is allowed', async () => {
    const caseId = await api.referred(WARD, aReferral({ proposedPathway: 2 }));
    await api.done(HUB, caseId, 'accept');
    await api.done(HUB, caseId, 'pathway', {
      pathway: 2,
      reason: 'mdt-assessment',
      bedCategory: 'rehab',
      intentionToReturnHome: true,
    });

    await api.done(HUB, caseId, 'pathway', { pathway: 3, reason: 'needs-changed', bedCategory: 'nursing' });
    const toWard = await api.act(HUB, caseId, 'discharge', { dischargedAt: '2026-11-25T09:00:00Z', destination: '51' });
    const toNursingHome = await api.act(HUB, caseId, 'discharge', { dischargedAt: '2026-11-25T09:00:00Z', destination: '55' });

    const history = await api.history(HUB, caseId);
    expect(eventOf(history, 'PathwayAssigned')).toMatchObject({
      pathway: 3,
      bedCategory: 'nursing',
      intentionToReturnHome: null,
      previousPathway: 2,
      previous: { pathway: 2, bedCategory: 'rehab', intentionToReturnHome: true },
    });
    expect(toWard.statusCode).toBe(422);
    expect(toWard.json()).toMatchObject({ code: 'DESTINATION_NOT_ALLOWED_FOR_PATHWAY', destination: '51', pathway: 3 });
    expect(toNursingHome.statusCode).toBe(200);
    expect(eventOf(history, 'PatientDischarged')).toMatchObject({ pathway: 3, destination: '55' });
  });

  it('given P2 in a community-hospital bed, then 51 is an allowed destination', async () => {
    const caseId = await api.referred(WARD, aReferral({ proposedPathway: 2 }));
    await api.done(HUB, caseId, 'pathway', {
      pathway: 2,
      reason: 'mdt-assessment',
      bedCategory: 'rehab',
      intentionToReturnHome: true,
    });

    const discharged = await api.act(HUB, caseId, 'discharge', { dischargedAt: '2026-11-25T09:00:00Z', destination: '51' });

    expect(discharged.statusCode).toBe(200);
  });

  it('given P3 residential, when discharged to a care home without nursing, then it counts on P3 and has no 91-day follow-up', async () => {
    const caseId = await api.referred(WARD, aReferral({ proposedPathway: 3 }));
    await api.done(HUB, caseId, 'accept');
    await api.done(HUB, caseId, 'pathway', { pathway: 3, reason: 'mdt-assessment', bedCategory: 'residential' });
    await api.done(WARD, caseId, 'criteria-to-reside/not-met', { from: '2026-11-17' });
    const delayed = await api.done(HUB, caseId, 'delays', { delayId: randomUUID(), reasonCode: 'CAP-P3' });
    await api.caughtUp('pathway-shares', delayed.position);
    const before = (await api.pathwayShares(HUB, '?date=2026-11-25')).json().today.referred.counts[3];

    const discharged = await api.done(HUB, caseId, 'discharge', { dischargedAt: '2026-11-25T08:15:00Z', destination: '56' });

    expect(eventOf(await api.history(HUB, caseId), 'PatientDischarged')).toMatchObject({
      pathway: 3,
      bedCategory: 'residential',
      destination: '56',
      dischargeReadyDate: '2026-11-17',
      delayDays: 8,
      followUpDueOn: null,
    });
    await api.caughtUp('pathway-shares', discharged.position);
    expect((await api.pathwayShares(HUB, '?date=2026-11-25')).json().today.referred.counts[3]).toBe(before + 1);
  });

  it('given an open case, when it is withdrawn, then it takes no more commands and the person can be referred again', async () => {
    const referral = aReferral();
    const caseId = await api.referred(WARD, referral);
    await api.done(HUB, caseId, 'pathway', { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: false });
    expect((await api.refer(WARD, referral)).statusCode).toBe(409);

    await api.done(WARD, caseId, 'withdraw', { reason: 'no-longer-needed' });
    await api.settled();

    const again = await api.refer(WARD, referral);
    expect(again.statusCode).toBe(201);
    expect(again.json().caseId).not.toBe(caseId);
    expect((await api.read(WARD, caseId)).json()).toMatchObject({ status: 'withdrawn' });
    expect(eventOf(await api.history(WARD, caseId), 'CaseWithdrawn')).toMatchObject({
      reason: 'no-longer-needed',
      pathway: 1,
    });
    const afterwards = await api.act(WARD, caseId, 'withdraw', { reason: 'no-longer-needed' });
    expect(afterwards.statusCode).toBe(409);
    expect(afterwards.json()).toMatchObject({ code: 'ALREADY_WITHDRAWN' });
  });
});
