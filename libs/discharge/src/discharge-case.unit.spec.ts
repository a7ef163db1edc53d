import { DomainRefusal, type RefusalKind } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import { evolve, initialDischargeCase, type DischargeCase, type DischargeCaseEvent } from './discharge-case';
import {
  acceptReferral,
  admin,
  arrangePlacement,
  assignPathway,
  CASE_ID,
  caseWithdrawn,
  closeDelay,
  criteriaToResideMetAgain,
  criteriaToResideNotMet,
  defaultNeeds,
  delayClosed,
  delayOpened,
  dischargeCaseForSpecs,
  eraseIdentity,
  hub,
  identityErased,
  leader,
  makeDelayPrimary,
  ninetyOneDayFollowUpDue,
  ninetyOneDayFollowUpRecorded,
  NOW,
  openDelay,
  otherWard,
  PATIENT_ID,
  pathwayAssigned,
  patientDischarged,
  placementArranged,
  planFor,
  primaryDelayChanged,
  provider,
  recordCriteriaToResideMetAgain,
  recordCriteriaToResideNotMet,
  recordDischarge,
  raiseNinetyOneDayFollowUp,
  recordNinetyOneDayFollowUp,
  referralAccepted,
  referralReturned,
  referralSubmitted,
  returnReferral,
  submitReferral,
  system,
  ward,
  withdrawCase,
} from './testing/builders';

const given = specFor(dischargeCaseForSpecs);
const refused =
  (code: string, kind?: RefusalKind) =>
  (error: DomainRefusal): void =>
    expect(error).toMatchObject(kind ? { code, kind } : { code });

const referred = referralSubmitted();
const onP1 = [referred, pathwayAssigned({ pathway: 1 })];
const nctr = [referred, criteriaToResideNotMet({ from: '2026-11-20' })];
const twoDelays = [
  ...nctr,
  delayOpened({ delayId: 'delay-1' }),
  delayOpened({ delayId: 'delay-2', reasonCode: 'EQUIPMENT', primary: false }),
];

describe('DischargeCase', () => {
  describe('submitting a referral', () => {
    it('records the coded referral from a ward of its own trust, with the site the ward belongs to', () =>
      given()
        .when(submitReferral({ by: ward }))
        .then(referralSubmitted({ submittedAt: NOW })));

    it('lets the hub refer for any hospital', () =>
      given()
        .when(submitReferral({ by: hub, hospital: 'RA4', ward: 'RA430-W7', area: 'SOUTH_SOMERSET' }))
        .then(referralSubmitted({ hospital: 'RA4', site: 'RA430', ward: 'RA430-W7', area: 'SOUTH_SOMERSET', submittedAt: NOW })));

    it("refuses a ward user referring for another trust's hospital (403)", () =>
      given()
        .when(submitReferral({ by: otherWard }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden')));

    it.each([leader, provider, admin])('refuses a %o user (403)', (by) =>
      given().when(submitReferral({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );

    it('refuses a second referral on the same case (409)', () =>
      given(referred).when(submitReferral()).thenThrows(DomainRefusal, refused('CASE_EXISTS', 'conflict')));

    it('refuses a ward that is not a ward of the named hospital', () =>
      given()
        .when(submitReferral({ ward: 'RA430-W7' }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_WARD', 'unprocessable')));

    it('refuses an area that is not on the reference list', () =>
      given()
        .when(submitReferral({ area: 'BRISTOL' }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_AREA')));

    it('refuses an age band that is not on the reference list', () =>
      given()
        .when(submitReferral({ ageBand: '65+' }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_AGE_BAND')));

    it('refuses a proposed pathway that does not exist', () =>
      given()
        .when(submitReferral({ proposedPathway: 4 as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_PATHWAY')));

    it('refuses a referral from a process manager (system), which has no referrer', () =>
      given()
        .when(submitReferral({ by: system }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));

    it('refuses anything but a pseudonymous UUID as the patient id, such as an NHS number', () =>
      given()
        .when(submitReferral({ patientId: '9434765919' }))
        .thenThrows(DomainRefusal, refused('INVALID_PATIENT_ID')));

    it('refuses an admission date in the future', () =>
      given()
        .when(submitReferral({ admittedOn: '2026-11-24' }))
        .thenThrows(DomainRefusal, refused('DATE_IN_FUTURE')));

    it.each([-1, 168.5, Number.NaN])('refuses %p care hours a week', (careHoursPerWeek) =>
      given()
        .when(submitReferral({ needs: defaultNeeds({ careHoursPerWeek }) }))
        .thenThrows(DomainRefusal, refused('INVALID_CARE_HOURS')),
    );

    it('carries coded needs, specialist needs and a sealed note exactly as given', () => {
      const needs = defaultNeeds({
        mobility: 'hoist',
        cognition: 'moderate-impairment',
        careHoursPerWeek: 28,
        equipment: ['hoist', 'hospital-bed'],
        specialist: {
          bariatric: true,
          dementia: true,
          endOfLife: false,
          opmh: true,
          sideRoom: true,
          sexForBayAllocation: 'female',
        },
      });
      return given()
        .when(submitReferral({ needs, usualResidence: 'extra-care', proposedPathway: 2, sealedNote: 'v1.gcm.AbC==' }))
        .then(
          referralSubmitted({
            needs,
            usualResidence: 'extra-care',
            proposedPathway: 2,
            sealedNote: 'v1.gcm.AbC==',
            submittedAt: NOW,
          }),
        );
    });
  });

  describe('the hub accepting or returning a referral', () => {
    it('accepts, keeping both times for the response measures', () =>
      given(referred)
        .when(acceptReferral({ by: hub }))
        .then(referralAccepted({ acceptedAt: NOW })));

    it('refuses a ward accepting (403)', () =>
      given(referred)
        .when(acceptReferral({ by: ward }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));

    it('refuses accepting twice (409)', () =>
      given(referred, referralAccepted())
        .when(acceptReferral())
        .thenThrows(DomainRefusal, refused('REFERRAL_NOT_AWAITING_RESPONSE', 'conflict')));

    it('returns with a coded reason and a sealed note', () =>
      given(referred)
        .when(returnReferral({ reason: 'ward-led-simple-discharge', sealedNote: 'v1.gcm.XyZ==' }))
        .then(referralReturned({ reason: 'ward-led-simple-discharge', sealedNote: 'v1.gcm.XyZ==' })));

    it('refuses returning an accepted referral (409)', () =>
      given(referred, referralAccepted())
        .when(returnReferral())
        .thenThrows(DomainRefusal, refused('REFERRAL_NOT_AWAITING_RESPONSE', 'conflict')));

    it('closes open delays before the return', () =>
      given(...twoDelays)
        .when(returnReferral())
        .then(
          delayClosed({ delayId: 'delay-2', closure: 'referral-returned' }),
          delayClosed({ delayId: 'delay-1', closure: 'referral-returned' }),
          referralReturned(),
        ));

    it('answers 404 for a case that does not exist', () =>
      given().when(acceptReferral()).thenThrows(DomainRefusal, refused('CASE_NOT_FOUND', 'not_found')));

    it('takes no further facts on a returned case', () =>
      given(referred, referralReturned())
        .when(recordCriteriaToResideNotMet())
        .thenThrows(DomainRefusal, refused('CASE_CLOSED', 'conflict')));
  });

  describe('criteria to reside', () => {
    it('records that the person no longer meets CTR from a date, which is the DRD', () =>
      given(referred)
        .when(recordCriteriaToResideNotMet({ from: '2026-11-20' }))
        .then(criteriaToResideNotMet({ from: '2026-11-20' })));

    it('accepts today as the start', () =>
      given(referred)
        .when(recordCriteriaToResideNotMet({ from: '2026-11-23' }))
        .then(criteriaToResideNotMet({ from: '2026-11-23' })));

    it('refuses a start in the future', () =>
      given(referred)
        .when(recordCriteriaToResideNotMet({ from: '2026-11-24' }))
        .thenThrows(DomainRefusal, refused('DATE_IN_FUTURE', 'unprocessable')));

    it('judges "the future" by the London date: at 23:30 UTC on 30 June it is already 1 July', () =>
      given(referralSubmitted({ admittedOn: '2026-06-25' }))
        .when(recordCriteriaToResideNotMet({ from: '2026-07-01', at: '2026-06-30T23:30:00.000Z' }))
        .then(criteriaToResideNotMet({ from: '2026-07-01', recordedAt: '2026-06-30T23:30:00.000Z' })));

    it('refuses a start before admission', () =>
      given(referred)
        .when(recordCriteriaToResideNotMet({ from: '2026-11-15' }))
        .thenThrows(DomainRefusal, refused('DATE_BEFORE_ADMISSION')));

    it('refuses a start that is not a calendar date', () =>
      given(referred)
        .when(recordCriteriaToResideNotMet({ from: '2026-02-30' }))
        .thenThrows(DomainRefusal, refused('INVALID_DATE')));

    it('refuses a second start while the NCTR period is open (409)', () =>
      given(...nctr)
        .when(recordCriteriaToResideNotMet({ from: '2026-11-21' }))
        .thenThrows(DomainRefusal, refused('ALREADY_NOT_MEETING_CTR', 'conflict')));

    it('refuses a ward user of another trust (403)', () =>
      given(referred)
        .when(recordCriteriaToResideNotMet({ by: otherWard }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden')));

    it('meeting CTR again ends the period and closes every open delay in the same decision, the primary last', () =>
      given(...twoDelays)
        .when(recordCriteriaToResideMetAgain({ on: '2026-11-22' }))
        .then(
          delayClosed({ delayId: 'delay-2', closure: 'criteria-to-reside-met-again' }),
          delayClosed({ delayId: 'delay-1', closure: 'criteria-to-reside-met-again' }),
          criteriaToResideMetAgain({ on: '2026-11-22', endedPeriodFrom: '2026-11-20' }),
        ));

    it('refuses meeting CTR again when the person already meets it (409)', () =>
      given(referred).when(recordCriteriaToResideMetAgain()).thenThrows(DomainRefusal, refused('CTR_ALREADY_MET', 'conflict')));

    it('refuses meeting CTR again before the NCTR period began', () =>
      given(...nctr)
        .when(recordCriteriaToResideMetAgain({ on: '2026-11-19' }))
        .thenThrows(DomainRefusal, refused('DATE_BEFORE_NCTR_PERIOD')));

    it('refuses meeting CTR again in the future', () =>
      given(...nctr)
        .when(recordCriteriaToResideMetAgain({ on: '2026-11-24' }))
        .thenThrows(DomainRefusal, refused('DATE_IN_FUTURE')));

    it('starts a new NCTR period, and so a new DRD, after the person met CTR again', () =>
      given(...nctr, criteriaToResideMetAgain({ on: '2026-11-21' }))
        .when(recordCriteriaToResideNotMet({ from: '2026-11-22' }))
        .then(criteriaToResideNotMet({ from: '2026-11-22' })));

    it('refuses a new NCTR period that starts before the person met CTR again', () =>
      given(...nctr, criteriaToResideMetAgain({ on: '2026-11-21' }))
        .when(recordCriteriaToResideNotMet({ from: '2026-11-20' }))
        .thenThrows(DomainRefusal, refused('DATE_BEFORE_PREVIOUS_PERIOD_ENDED')));
  });

  describe('pathways', () => {
    it('lets the hub assign P2 with its bed category and ASCOF intention', () =>
      given(referred)
        .when(assignPathway({ pathway: 2, bedCategory: 'reablement', intentionToReturnHome: false, by: hub }))
        .then(pathwayAssigned({ pathway: 2, bedCategory: 'reablement', intentionToReturnHome: false })));

    it('lets a ward record P0 itself', () =>
      given(referred)
        .when(assignPathway({ pathway: 0, reason: 'simple-discharge', by: ward }))
        .then(pathwayAssigned({ pathway: 0, reason: 'simple-discharge' })));

    it.each([1, 2, 3] as const)('refuses a ward assigning P%p (403)', (pathway) =>
      given(referred)
        .when(assignPathway({ pathway, by: ward }))
        .thenThrows(DomainRefusal, refused('PATHWAY_NEEDS_HUB', 'forbidden')),
    );

    it("refuses a ward changing the hub's P2 to P0 (403)", () =>
      given(referred, pathwayAssigned({ pathway: 2 }))
        .when(assignPathway({ pathway: 0, by: ward }))
        .thenThrows(DomainRefusal, refused('PATHWAY_NEEDS_HUB', 'forbidden')));

    it('records a change with the previous pathway and plan, for process managers to compensate on', () =>
      given(referred, pathwayAssigned({ pathway: 2 }))
        .when(assignPathway({ pathway: 0, reason: 'needs-changed' }))
        .then(pathwayAssigned({ pathway: 0, reason: 'needs-changed', previousPathway: 2, previous: planFor(2) })));

    it('treats P1 no longer needing home care as a change', () =>
      given(...onP1)
        .when(assignPathway({ pathway: 1, homeCareNeeded: false, reason: 'needs-changed' }))
        .then(
          pathwayAssigned({
            pathway: 1,
            homeCareNeeded: false,
            reason: 'needs-changed',
            previousPathway: 1,
            previous: planFor(1),
          }),
        ));

    it('decides nothing when the same plan is assigned again', () =>
      given(...onP1)
        .when(assignPathway({ pathway: 1 }))
        .thenNothingHappens());

    it('refuses P1 without saying whether home care is needed', () =>
      given(referred)
        .when(assignPathway({ pathway: 1, homeCareNeeded: undefined }))
        .thenThrows(DomainRefusal, refused('PATHWAY_DETAILS_REQUIRED', 'unprocessable')));

    it.each([
      ['no bed category', { bedCategory: undefined }],
      ['a P3 bed category', { bedCategory: 'nursing' as const }],
      ['no intention about returning home', { intentionToReturnHome: undefined }],
    ])('refuses P2 with %s', (_, details) =>
      given(referred)
        .when(assignPathway({ pathway: 2, ...details }))
        .thenThrows(DomainRefusal, refused('PATHWAY_DETAILS_REQUIRED')),
    );

    it('assigns P3 to a residential care home', () =>
      given(referred)
        .when(assignPathway({ pathway: 3, bedCategory: 'residential' }))
        .then(pathwayAssigned({ pathway: 3, bedCategory: 'residential' })));

    it('refuses P3 with a P2 bed category', () =>
      given(referred)
        .when(assignPathway({ pathway: 3, bedCategory: 'rehab' }))
        .thenThrows(DomainRefusal, refused('PATHWAY_DETAILS_REQUIRED')));

    it('drops details that do not belong to the pathway', () =>
      given(referred)
        .when(assignPathway({ pathway: 0, homeCareNeeded: true, bedCategory: 'rehab', intentionToReturnHome: true }))
        .then(pathwayAssigned({ pathway: 0 })));

    it('refuses after discharge (409)', () =>
      given(...onP1, patientDischarged())
        .when(assignPathway({ pathway: 2 }))
        .thenThrows(DomainRefusal, refused('ALREADY_DISCHARGED', 'conflict')));

    it('refuses on a withdrawn case (409)', () =>
      given(referred, caseWithdrawn()).when(assignPathway()).thenThrows(DomainRefusal, refused('CASE_CLOSED', 'conflict')));

    it('refuses a leader (403)', () =>
      given(referred)
        .when(assignPathway({ by: leader }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));
  });

  describe('delays', () => {
    it('makes the first delay primary, with the reason code and its list version', () =>
      given(...nctr)
        .when(openDelay({ reasonCode: 'CAP-P1', reasonVersion: '2024-25' }))
        .then(delayOpened({ primary: true })));

    it('opens an overlapping delay as secondary', () =>
      given(...nctr, delayOpened())
        .when(openDelay({ delayId: 'delay-2', reasonCode: 'EQUIPMENT' }))
        .then(delayOpened({ delayId: 'delay-2', reasonCode: 'EQUIPMENT', primary: false })));

    it('opens a delay as primary on request, demoting the old primary in one event', () =>
      given(...nctr, delayOpened())
        .when(openDelay({ delayId: 'delay-2', reasonCode: 'EQUIPMENT', makePrimary: true }))
        .then(
          delayOpened({ delayId: 'delay-2', reasonCode: 'EQUIPMENT', primary: false }),
          primaryDelayChanged({ primaryDelayId: 'delay-2', previousPrimaryDelayId: 'delay-1' }),
        ));

    it('needs no change of primary when the first delay is opened as primary', () =>
      given(...nctr)
        .when(openDelay({ makePrimary: true }))
        .then(delayOpened({ primary: true })));

    it('carries a sealed note', () =>
      given(...nctr)
        .when(openDelay({ sealedNote: 'v1.gcm.Note==' }))
        .then(delayOpened({ sealedNote: 'v1.gcm.Note==' })));

    it('refuses a delay while the person meets the criteria to reside', () =>
      given(referred).when(openDelay()).thenThrows(DomainRefusal, refused('CTR_MET', 'unprocessable')));

    it('refuses a code that is not on the national list', () =>
      given(...nctr)
        .when(openDelay({ reasonCode: 'WAITING' }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_DELAY_REASON')));

    it.each([
      ['a code that left the list', 'COVID-BED', '2022-23'],
      ['a current code named with an old version', 'CAP-P1', '2022-23'],
      ['an unknown version', 'CAP-P1', '2025-26'],
    ])('refuses %s', (_, reasonCode, reasonVersion) =>
      given(...nctr)
        .when(openDelay({ reasonCode, reasonVersion }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_DELAY_REASON')),
    );

    it('refuses a second open delay with the same reason (409)', () =>
      given(...nctr, delayOpened())
        .when(openDelay({ delayId: 'delay-2' }))
        .thenThrows(DomainRefusal, refused('DELAY_REASON_ALREADY_OPEN', 'conflict')));

    it('refuses reusing the id of a closed delay (409)', () =>
      given(...nctr, delayOpened(), delayClosed())
        .when(openDelay({ reasonCode: 'HOUSING' }))
        .thenThrows(DomainRefusal, refused('DELAY_EXISTS', 'conflict')));

    it('closes a secondary delay without touching the primary', () =>
      given(...twoDelays)
        .when(closeDelay({ delayId: 'delay-2' }))
        .then(delayClosed({ delayId: 'delay-2', promotedDelayId: null })));

    it('closes the last delay', () =>
      given(...nctr, delayOpened())
        .when(closeDelay({ delayId: 'delay-1' }))
        .then(delayClosed({ delayId: 'delay-1', promotedDelayId: null })));

    it('promotes the longest-open delay when the primary closes and no successor is named', () =>
      given(
        ...twoDelays,
        delayOpened({ delayId: 'delay-3', reasonCode: 'HOUSING', primary: false, openedAt: '2026-11-23T10:30:00.000Z' }),
      )
        .when(closeDelay({ delayId: 'delay-1' }))
        .then(delayClosed({ delayId: 'delay-1', promotedDelayId: 'delay-2' })));

    it('promotes the named successor when the primary closes', () =>
      given(...twoDelays, delayOpened({ delayId: 'delay-3', reasonCode: 'HOUSING', primary: false }))
        .when(closeDelay({ delayId: 'delay-1', nextPrimaryDelayId: 'delay-3' }))
        .then(delayClosed({ delayId: 'delay-1', promotedDelayId: 'delay-3' })));

    it('refuses a successor that is not another open delay', () =>
      given(...twoDelays)
        .when(closeDelay({ delayId: 'delay-1', nextPrimaryDelayId: 'delay-1' }))
        .thenThrows(DomainRefusal, refused('NEXT_PRIMARY_NOT_OPEN')));

    it('refuses a successor when closing a secondary delay', () =>
      given(...twoDelays)
        .when(closeDelay({ delayId: 'delay-2', nextPrimaryDelayId: 'delay-1' }))
        .thenThrows(DomainRefusal, refused('NEXT_PRIMARY_NOT_APPLICABLE')));

    it('answers 404 for an unknown delay', () =>
      given(...nctr)
        .when(closeDelay({ delayId: 'delay-9' }))
        .thenThrows(DomainRefusal, refused('DELAY_NOT_FOUND', 'not_found')));

    it('refuses closing a delay twice (409)', () =>
      given(...nctr, delayOpened(), delayClosed())
        .when(closeDelay({ delayId: 'delay-1' }))
        .thenThrows(DomainRefusal, refused('DELAY_ALREADY_CLOSED', 'conflict')));

    it('makes another delay primary in one event that names both', () =>
      given(...twoDelays)
        .when(makeDelayPrimary({ delayId: 'delay-2' }))
        .then(primaryDelayChanged({ primaryDelayId: 'delay-2', previousPrimaryDelayId: 'delay-1' })));

    it('decides nothing when the delay is already primary', () =>
      given(...twoDelays)
        .when(makeDelayPrimary({ delayId: 'delay-1' }))
        .thenNothingHappens());

    it('answers 404 when making a closed delay primary', () =>
      given(...twoDelays, delayClosed({ delayId: 'delay-2' }))
        .when(makeDelayPrimary({ delayId: 'delay-2' }))
        .thenThrows(DomainRefusal, refused('DELAY_NOT_FOUND', 'not_found')));

    it('refuses a ward user of another trust (403)', () =>
      given(...nctr)
        .when(openDelay({ by: otherWard }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden')));
  });

  describe('placements arranged by other contexts', () => {
    it('records a home-care package accepted for P1', () =>
      given(...onP1)
        .when(arrangePlacement({ source: 'home-care-package', sourceId: 'package-1' }))
        .then(placementArranged()));

    it('records a bed reserved for P2', () =>
      given(referred, pathwayAssigned({ pathway: 2 }))
        .when(arrangePlacement({ source: 'bed-reservation', sourceId: 'reservation-7', by: hub }))
        .then(placementArranged({ source: 'bed-reservation', sourceId: 'reservation-7', pathway: 2 })));

    it('decides nothing for a repeat of the same source id', () =>
      given(...onP1, placementArranged())
        .when(arrangePlacement())
        .thenNothingHappens());

    it('decides nothing for a repeat that arrives after discharge', () =>
      given(...onP1, placementArranged(), patientDischarged())
        .when(arrangePlacement())
        .thenNothingHappens());

    it('refuses a new placement after discharge (409)', () =>
      given(...onP1, patientDischarged())
        .when(arrangePlacement({ sourceId: 'package-2' }))
        .thenThrows(DomainRefusal, refused('ALREADY_DISCHARGED', 'conflict')));

    it.each([
      ['a package on P2', 2, 'home-care-package'],
      ['a bed on P1', 1, 'bed-reservation'],
      ['a bed on P0', 0, 'bed-reservation'],
    ] as const)('refuses %s, so the process manager parks it', (_, pathway, source) =>
      given(referred, pathwayAssigned({ pathway }))
        .when(arrangePlacement({ source }))
        .thenThrows(DomainRefusal, refused('PLACEMENT_DOES_NOT_FIT_PATHWAY', 'unprocessable')),
    );

    it('refuses a placement before any pathway', () =>
      given(referred).when(arrangePlacement()).thenThrows(DomainRefusal, refused('PLACEMENT_DOES_NOT_FIT_PATHWAY')));

    it('refuses a ward user (403)', () =>
      given(...onP1)
        .when(arrangePlacement({ by: ward }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));
  });

  describe('discharge', () => {
    it('records date, time, final pathway and destination; a same-day discharge with no DRD is a delay of 0', () =>
      given(...onP1)
        .when(recordDischarge({ destination: '19' }))
        .then(patientDischarged({ dischargeReadyDate: null, delayDays: 0 })));

    it('stores the DRD and the London calendar days from it to discharge', () =>
      given(...nctr, pathwayAssigned({ pathway: 1 }))
        .when(recordDischarge())
        .then(patientDischarged({ dischargeReadyDate: '2026-11-20', delayDays: 3 })));

    it('counts 0 days when the person became ready on the day of discharge', () =>
      given(referred, criteriaToResideNotMet({ from: '2026-11-23' }), pathwayAssigned())
        .when(recordDischarge())
        .then(patientDischarged({ dischargeReadyDate: '2026-11-23', delayDays: 0 })));

    it('uses the start of the final NCTR period as the DRD', () =>
      given(
        ...nctr,
        criteriaToResideMetAgain({ on: '2026-11-21' }),
        criteriaToResideNotMet({ from: '2026-11-22' }),
        pathwayAssigned(),
      )
        .when(recordDischarge())
        .then(patientDischarged({ dischargeReadyDate: '2026-11-22', delayDays: 1 })));

    it('has no DRD when the person met CTR again and was not NCTR at discharge', () =>
      given(...nctr, criteriaToResideMetAgain({ on: '2026-11-21' }), pathwayAssigned())
        .when(recordDischarge())
        .then(patientDischarged({ dischargeReadyDate: null, delayDays: 0 })));

    it('counts delay days by London date: 23:30 UTC on 1 July (BST) is 2 July', () =>
      given(
        referralSubmitted({ admittedOn: '2026-06-28' }),
        criteriaToResideNotMet({ from: '2026-07-01' }),
        pathwayAssigned({ pathway: 0 }),
      )
        .when(recordDischarge({ dischargedAt: '2026-07-01T23:30:00.000Z', at: '2026-07-02T08:00:00.000Z' }))
        .then(
          patientDischarged({
            pathway: 0,
            dischargedAt: '2026-07-01T23:30:00.000Z',
            dischargedOn: '2026-07-02',
            dischargeReadyDate: '2026-07-01',
            delayDays: 1,
            followUpDueOn: null,
            recordedAt: '2026-07-02T08:00:00.000Z',
          }),
        ));

    it('refuses a discharge before a pathway exists (422)', () =>
      given(referred).when(recordDischarge()).thenThrows(DomainRefusal, refused('PATHWAY_NOT_ASSIGNED', 'unprocessable')));

    it('refuses a second discharge (409)', () =>
      given(...onP1, patientDischarged())
        .when(recordDischarge())
        .thenThrows(DomainRefusal, refused('ALREADY_DISCHARGED', 'conflict')));

    it('refuses a destination the pathway does not allow, naming the code (422)', () =>
      given(referred, pathwayAssigned({ pathway: 2 }))
        .when(recordDischarge({ destination: '19' }))
        .thenThrows(DomainRefusal, (error) => {
          expect(error).toMatchObject({ code: 'DESTINATION_NOT_ALLOWED_FOR_PATHWAY', kind: 'unprocessable' });
          expect(error.message).toContain('19');
        }));

    it.each([
      [2, '51'],
      [2, '55'],
      [3, '55'],
      [3, '56'],
      [0, '56'],
    ] as const)('allows P%p to destination %s', (pathway, destination) =>
      given(referralSubmitted({ ageBand: '18-64' }), pathwayAssigned({ pathway }))
        .when(recordDischarge({ destination }))
        .then(patientDischarged({ pathway, destination, ageBand: '18-64', followUpDueOn: null })),
    );

    it.each(['79', '99', '54', '98'])('never allows destination %s for a pathway', (destination) =>
      given(...onP1)
        .when(recordDischarge({ destination }))
        .thenThrows(DomainRefusal, refused('DESTINATION_NOT_ALLOWED_FOR_PATHWAY')),
    );

    it('refuses a discharge before admission', () =>
      given(...onP1)
        .when(recordDischarge({ dischargedAt: '2026-11-15T12:00:00.000Z' }))
        .thenThrows(DomainRefusal, refused('DISCHARGE_BEFORE_ADMISSION')));

    it('refuses a discharge before the DRD', () =>
      given(...nctr, pathwayAssigned())
        .when(recordDischarge({ dischargedAt: '2026-11-19T12:00:00.000Z' }))
        .thenThrows(DomainRefusal, refused('DISCHARGE_BEFORE_DRD')));

    it('refuses a discharge on a future London date', () =>
      given(...onP1)
        .when(recordDischarge({ dischargedAt: '2026-11-24T09:00:00.000Z' }))
        .thenThrows(DomainRefusal, refused('DATE_IN_FUTURE')));

    it('refuses a time without an offset', () =>
      given(...onP1)
        .when(recordDischarge({ dischargedAt: '2026-11-23T09:00:00' }))
        .thenThrows(DomainRefusal, refused('INVALID_DATE')));

    it('closes open delays at the moment of discharge, the primary last', () =>
      given(...twoDelays, pathwayAssigned())
        .when(recordDischarge({ dischargedAt: '2026-11-23T09:15:00.000Z' }))
        .then(
          delayClosed({ delayId: 'delay-2', closure: 'discharged', closedAt: '2026-11-23T09:15:00.000Z' }),
          delayClosed({ delayId: 'delay-1', closure: 'discharged', closedAt: '2026-11-23T09:15:00.000Z' }),
          patientDischarged({ dischargedAt: '2026-11-23T09:15:00.000Z', dischargeReadyDate: '2026-11-20', delayDays: 3 }),
        ));

    it('lets a ward discharge its own P0 patient', () =>
      given(referred, pathwayAssigned({ pathway: 0 }))
        .when(recordDischarge({ by: ward }))
        .then(patientDischarged({ pathway: 0, followUpDueOn: null })));

    it('refuses a ward user of another trust (403)', () =>
      given(...onP1)
        .when(recordDischarge({ by: otherWard }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden')));
  });

  describe('the 91-day follow-up deadline on discharge (ASCOF 2B(1) cohort)', () => {
    it.each(['65-74', '75-84', '85+'])('is due on day 91 for a person aged %s discharged on P1', (ageBand) =>
      given(referralSubmitted({ ageBand }), pathwayAssigned({ pathway: 1, homeCareNeeded: false }))
        .when(recordDischarge())
        .then(patientDischarged({ ageBand, homeCareNeeded: false, followUpDueOn: '2027-02-22' })),
    );

    it('is not due for a person aged 18-64', () =>
      given(referralSubmitted({ ageBand: '18-64' }), pathwayAssigned())
        .when(recordDischarge())
        .then(patientDischarged({ ageBand: '18-64', followUpDueOn: null })));

    it.each(['rehab', 'reablement'] as const)('is due for P2 %s with the intention to return home', (bedCategory) =>
      given(referred, pathwayAssigned({ pathway: 2, bedCategory }))
        .when(recordDischarge({ destination: '51' }))
        .then(patientDischarged({ pathway: 2, bedCategory, destination: '51', followUpDueOn: '2027-02-22' })),
    );

    it('is not due for P2 rehab without the intention to return home', () =>
      given(referred, pathwayAssigned({ pathway: 2, intentionToReturnHome: false }))
        .when(recordDischarge({ destination: '51' }))
        .then(patientDischarged({ pathway: 2, intentionToReturnHome: false, destination: '51', followUpDueOn: null })));

    it('is not due for a P2 end-of-life bed', () =>
      given(referred, pathwayAssigned({ pathway: 2, bedCategory: 'end-of-life' }))
        .when(recordDischarge({ destination: '88' }))
        .then(patientDischarged({ pathway: 2, bedCategory: 'end-of-life', destination: '88', followUpDueOn: null })));

    it.each([0, 3] as const)('is not due for P%p', (pathway) =>
      given(referred, pathwayAssigned({ pathway }))
        .when(recordDischarge({ destination: '56' }))
        .then(patientDischarged({ pathway, destination: '56', followUpDueOn: null })),
    );

    it('counts day 91 from the London date of discharge, across the March clock change', () =>
      given(referralSubmitted({ admittedOn: '2026-01-05' }), pathwayAssigned())
        .when(recordDischarge({ dischargedAt: '2026-01-10T23:30:00.000Z', at: '2026-01-11T09:00:00.000Z' }))
        .then(
          patientDischarged({
            dischargedAt: '2026-01-10T23:30:00.000Z',
            dischargedOn: '2026-01-10',
            followUpDueOn: '2026-04-11',
            recordedAt: '2026-01-11T09:00:00.000Z',
          }),
        ));
  });

  describe('the day-91 deadline firing', () => {
    const discharged = [...onP1, patientDischarged()];

    it('raises the follow-up as due when the deadline fires', () =>
      given(...discharged)
        .when(raiseNinetyOneDayFollowUp())
        .then(ninetyOneDayFollowUpDue()));

    it('decides nothing when the deadline fires again (at least once delivery)', () =>
      given(...discharged, ninetyOneDayFollowUpDue())
        .when(raiseNinetyOneDayFollowUp())
        .thenNothingHappens());

    it('decides nothing once the result is already recorded', () =>
      given(...discharged, ninetyOneDayFollowUpRecorded())
        .when(raiseNinetyOneDayFollowUp())
        .thenNothingHappens());

    it('decides nothing for a discharge outside the cohort', () =>
      given(...onP1, patientDischarged({ followUpDueOn: null }))
        .when(raiseNinetyOneDayFollowUp())
        .thenNothingHappens());

    it('is for the scheduler only', () =>
      given(...discharged)
        .when(raiseNinetyOneDayFollowUp({ by: hub }))
        .thenThrows(DomainRefusal, (e) => expect(e.code).toBe('ROLE_NOT_PERMITTED')));
  });

  describe('recording the 91-day follow-up', () => {
    const discharged = [...onP1, patientDischarged()];

    it('records "at home" as counting towards ASCOF 2B(1) on day 91', () =>
      given(...discharged)
        .when(recordNinetyOneDayFollowUp({ result: 'at-home' }))
        .then(ninetyOneDayFollowUpRecorded()));

    it.each(['in-hospital', 'in-care-home', 'died', 'not-contactable'] as const)('records %s in the denominator only', (result) =>
      given(...discharged)
        .when(recordNinetyOneDayFollowUp({ result }))
        .then(ninetyOneDayFollowUpRecorded({ result, countsAsAtHome: false })),
    );

    it('counts at home in extra-care housing', () =>
      given(referralSubmitted({ usualResidence: 'extra-care' }), pathwayAssigned(), patientDischarged())
        .when(recordNinetyOneDayFollowUp({ result: 'at-home', at: '2027-03-01T10:00:00.000Z' }))
        .then(ninetyOneDayFollowUpRecorded({ countsAsAtHome: true, recordedAt: '2027-03-01T10:00:00.000Z' })));

    it('refuses a result before day 91 (London date)', () =>
      given(...discharged)
        .when(recordNinetyOneDayFollowUp({ at: '2027-02-21T23:59:00.000Z' }))
        .thenThrows(DomainRefusal, refused('FOLLOW_UP_NOT_YET_DUE', 'unprocessable')));

    it('refuses a second result (409)', () =>
      given(...discharged, ninetyOneDayFollowUpRecorded())
        .when(recordNinetyOneDayFollowUp({ result: 'died' }))
        .thenThrows(DomainRefusal, refused('FOLLOW_UP_ALREADY_RECORDED', 'conflict')));

    it('refuses a discharge outside the cohort', () =>
      given(...onP1, patientDischarged({ followUpDueOn: null }))
        .when(recordNinetyOneDayFollowUp())
        .thenThrows(DomainRefusal, refused('NOT_IN_FOLLOW_UP_COHORT')));

    it('refuses a case not yet discharged', () =>
      given(...onP1)
        .when(recordNinetyOneDayFollowUp())
        .thenThrows(DomainRefusal, refused('NOT_DISCHARGED')));

    it('refuses a ward user (403)', () =>
      given(...discharged)
        .when(recordNinetyOneDayFollowUp({ by: ward }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));
  });

  describe('withdrawal', () => {
    it.each(['died', 'readmitted-or-transferred-out', 'no-longer-needed', 'entered-in-error'] as const)(
      'withdraws with the coded reason %s, naming the pathway to release',
      (reason) =>
        given(...onP1)
          .when(withdrawCase({ reason }))
          .then(caseWithdrawn({ reason, pathway: 1 })),
    );

    it('closes open delays first', () =>
      given(...twoDelays)
        .when(withdrawCase({ reason: 'died' }))
        .then(
          delayClosed({ delayId: 'delay-2', closure: 'withdrawn' }),
          delayClosed({ delayId: 'delay-1', closure: 'withdrawn' }),
          caseWithdrawn({ reason: 'died' }),
        ));

    it('refuses after discharge (409)', () =>
      given(...onP1, patientDischarged())
        .when(withdrawCase())
        .thenThrows(DomainRefusal, refused('ALREADY_DISCHARGED', 'conflict')));

    it('refuses twice (409)', () =>
      given(referred, caseWithdrawn()).when(withdrawCase()).thenThrows(DomainRefusal, refused('ALREADY_WITHDRAWN', 'conflict')));

    it("refuses a ward user of another trust (403) without revealing the case's status", () =>
      given(referred, caseWithdrawn())
        .when(withdrawCase({ by: otherWard }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden')));
  });

  describe('erasing identity', () => {
    it('records that the patient key was destroyed', () =>
      given(...onP1)
        .when(eraseIdentity({ by: hub }))
        .then(identityErased({ patientId: PATIENT_ID })));

    it('lets an admin erase', () =>
      given(referred)
        .when(eraseIdentity({ by: admin }))
        .then(identityErased()));

    it('refuses a ward user (403)', () =>
      given(referred)
        .when(eraseIdentity({ by: ward }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));

    it('decides nothing the second time', () => given(referred, identityErased()).when(eraseIdentity()).thenNothingHappens());

    it('works on a finished case', () =>
      given(...onP1, patientDischarged(), ninetyOneDayFollowUpRecorded())
        .when(eraseIdentity())
        .then(identityErased()));

    it('still takes coded facts, so KPIs keep counting the case', () =>
      given(...onP1, identityErased())
        .when(recordDischarge())
        .then(patientDischarged()));

    it('refuses new free text, which could no longer be sealed under the destroyed key', () =>
      given(...nctr, identityErased())
        .when(openDelay({ sealedNote: 'v1.gcm.Note==' }))
        .thenThrows(DomainRefusal, refused('IDENTITY_ERASED', 'unprocessable')));

    it('answers 404 for a case that does not exist', () =>
      given().when(eraseIdentity()).thenThrows(DomainRefusal, refused('CASE_NOT_FOUND', 'not_found')));
  });

  describe('evolve (shared with the hub projections)', () => {
    const fold = (...events: DischargeCaseEvent[]): DischargeCase => events.reduce(evolve, initialDischargeCase());

    it('keeps exactly one primary among open delays through promotion and demotion', () => {
      const state = fold(
        ...twoDelays,
        delayOpened({ delayId: 'delay-3', reasonCode: 'HOUSING', primary: false }),
        primaryDelayChanged({ primaryDelayId: 'delay-3', previousPrimaryDelayId: 'delay-1' }),
        delayClosed({ delayId: 'delay-3', promotedDelayId: 'delay-2' }),
      );
      expect(state).toMatchObject({
        delays: [
          { delayId: 'delay-1', primary: false },
          { delayId: 'delay-2', primary: true },
        ],
        closedDelayIds: ['delay-3'],
      });
    });

    it('folds a whole case to a small state', () =>
      expect(
        fold(
          ...nctr,
          referralAccepted(),
          pathwayAssigned({ pathway: 2 }),
          placementArranged({ source: 'bed-reservation', sourceId: 'r-1', pathway: 2 }),
          patientDischarged({ pathway: 2, destination: '51', dischargeReadyDate: '2026-11-20', delayDays: 3 }),
          identityErased(),
        ),
      ).toEqual({
        status: 'discharged',
        caseId: CASE_ID,
        patientId: PATIENT_ID,
        hospital: 'RH5',
        admittedOn: '2026-11-16',
        ageBand: '85+',
        submittedAt: '2026-11-23T09:00:00.000Z',
        plan: planFor(2),
        nctrFrom: '2026-11-20',
        lastMetAgainOn: null,
        delays: [],
        closedDelayIds: [],
        placements: ['bed-reservation:r-1'],
        identityErased: true,
        dischargedAt: NOW,
        followUpDueOn: '2027-02-22',
        followUpRaised: false,
        followUpRecorded: false,
      }));

    it('ignores events for a case it has not seen', () =>
      expect(fold(referralAccepted(), delayOpened())).toEqual({ status: 'none' }));

    it.each([
      [[referralReturned()], 'returned'],
      [[caseWithdrawn()], 'withdrawn'],
      [[referralAccepted()], 'accepted'],
    ] as const)('moves to %#: %s', (events, status) => expect(fold(referred, ...events).status).toBe(status));
  });
});
