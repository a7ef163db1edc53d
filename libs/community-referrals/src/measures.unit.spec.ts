import type { RecordedEvent } from '@app/event-sourcing';
import {
  communityReferralMeasures,
  daysFromReferralToStart,
  outcomeOf,
  referralFactsFrom,
  responseMeasure,
  summariseCommunityReferrals,
} from './measures';
import type { IntermediateCareReferralEvent } from './intermediate-care-referral';
import {
  careArranged,
  careEnded,
  careStarted,
  endOfLifeSubmitted,
  firstResponseRecorded,
  referralSubmitted,
  referralTriaged,
  referralWithdrawn,
  triagedToBed,
} from './testing/builders';

const facts = (...events: IntermediateCareReferralEvent[]) => referralFactsFrom(events)!;
const AT = '2026-11-23T10:00:00.000Z';

describe('community referral measures', () => {
  it('response: within, over, awaiting, overdue, and no service level for routine or closed-without-response', () => {
    expect(responseMeasure(facts(referralSubmitted(), firstResponseRecorded()), AT)).toMatchObject({
      result: 'within',
      minutesToRespond: 45,
    });
    expect(
      responseMeasure(facts(referralSubmitted(), firstResponseRecorded({ respondedAt: '2026-11-23T11:00:01.000Z' })), AT).result,
    ).toBe('over');
    expect(responseMeasure(facts(referralSubmitted()), AT).result).toBe('awaiting');
    expect(responseMeasure(facts(referralSubmitted()), '2026-11-23T11:00:01.000Z').result).toBe('overdue');
    expect(responseMeasure(facts(endOfLifeSubmitted()), AT).result).toBe('no-service-level');
    expect(responseMeasure(facts(referralSubmitted(), referralWithdrawn()), '2026-11-24T00:00:00.000Z').result).toBe(
      'no-service-level',
    );
  });

  it('days from referral to start are London calendar days; null before start', () => {
    const started = facts(referralSubmitted(), referralTriaged(), careArranged(), careStarted({ startedOn: '2026-11-25' }));
    expect(daysFromReferralToStart(started)).toBe(2);
    expect(daysFromReferralToStart(facts(referralSubmitted()))).toBeNull();
  });

  it('outcome is the closing code', () => {
    const ended = facts(
      referralSubmitted(),
      referralTriaged(),
      careArranged(),
      careStarted(),
      careEnded({ outcome: 'admitted-to-hospital' }),
    );
    expect(outcomeOf(ended)).toBe('admitted-to-hospital');
    expect(outcomeOf(facts(referralSubmitted(), referralWithdrawn({ reason: 'died' })))).toBe('withdrawn:died');
    expect(outcomeOf(facts(referralSubmitted()))).toBeNull();
  });

  it('summarises end-of-life requests met at home versus in a bed, outcomes and days to start; never a pathway share', () => {
    const eolHome = facts(
      endOfLifeSubmitted(),
      referralTriaged({ kind: 'end-of-life' }),
      careArranged(),
      careStarted({ kind: 'end-of-life' }),
    );
    const eolBed = facts(
      endOfLifeSubmitted(),
      triagedToBed({ kind: 'end-of-life', bedCategory: 'end-of-life' }),
      careArranged({ setting: 'bed', source: 'bed-reservation', sourceId: 'r-1' }),
      careStarted({ kind: 'end-of-life', setting: 'bed', startedOn: '2026-11-24' }),
    );
    const eolWaiting = facts(endOfLifeSubmitted(), triagedToBed({ kind: 'end-of-life', bedCategory: 'end-of-life' }));
    const avoided = facts(
      referralSubmitted(),
      firstResponseRecorded(),
      referralTriaged(),
      careArranged(),
      careStarted(),
      careEnded(),
    );
    const summary = summariseCommunityReferrals([eolHome, eolBed, eolWaiting, avoided], AT);
    expect(summary).toMatchObject({
      countsInPathwayShares: false,
      referrals: { total: 4, stepUp: 1, endOfLife: 3 },
      response: { within: 1, over: 0, overdue: 0, percentWithin: 100 },
      endOfLife: { requests: 3, metAtHome: 1, metInBed: 1, waiting: 1 },
      outcomes: { admissionAvoided: 1, triage: { 'support-at-home': 2, bed: 2, signposted: 0, declined: 0 } },
      daysFromReferralToStart: {
        'end-of-life': { count: 2, mean: 0.5, median: 0.5 },
        'step-up': { count: 1, mean: 0, median: 0 },
      },
    });
  });

  it('the projection folds referral events by referral id with the decider’s evolve', () => {
    const recorded = (event: IntermediateCareReferralEvent, revision: number) =>
      ({ ...event, revision, recordedAt: AT, streamId: 'communityReferral-x' }) as unknown as RecordedEvent;
    const view = [recorded(referralSubmitted(), 0), recorded(referralTriaged(), 1)].reduce(
      communityReferralMeasures.evolve,
      communityReferralMeasures.initial(),
    );
    const entry = Object.values(view.referrals)[0];
    expect(entry).toMatchObject({ revision: 1, state: { status: 'triaged', triage: { outcome: 'support-at-home' } } });
    expect(communityReferralMeasures.categories).toEqual(['communityReferral']);
  });
});
