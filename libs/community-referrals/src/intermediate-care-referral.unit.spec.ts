import { DomainRefusal, type RefusalKind } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import {
  arrangeCare,
  careArranged,
  careEnded,
  careStarted,
  endCare,
  endOfLifeSubmitted,
  FIRST_REQUEST,
  firstResponseRecorded,
  hub,
  leader,
  needs,
  NOW,
  provider,
  raiseResponseBreach,
  recordFirstResponse,
  referralDeciderForSpecs,
  referralSubmitted,
  referralTriaged,
  referralWithdrawn,
  RESPOND_BY,
  responseBreached,
  SECOND_REQUEST,
  startCare,
  submitReferral,
  SUBMITTED_AT,
  system,
  triage,
  triagedToBed,
  ward,
  withdraw,
} from './testing/builders';

const given = specFor(referralDeciderForSpecs);
const refused =
  (code: string, kind?: RefusalKind) =>
  (error: DomainRefusal): void =>
    expect(error).toMatchObject(kind ? { code, kind } : { code });

const submitted = referralSubmitted();
const atHome = [submitted, referralTriaged()];
const arrangedAtHome = [...atHome, careArranged()];
const startedAtHome = [...arrangedAtHome, careStarted()];
const eol = endOfLifeSubmitted();
const eolInBed = [eol, triagedToBed({ kind: 'end-of-life', reason: 'preferred-place-of-care-bed', bedCategory: 'end-of-life' })];

describe('IntermediateCareReferral', () => {
  describe('submitting', () => {
    it('records an urgent step-up from a GP with the 2-hour service level in force and its respond-by time', () =>
      given().when(submitReferral()).then(referralSubmitted()));

    it('records a routine end-of-life request from a hospice with no response service level', () =>
      given()
        .when(submitReferral({ kind: 'end-of-life', source: 'hospice', urgency: 'routine' }))
        .then(endOfLifeSubmitted()));

    it('keeps the sealed note, never plain text', () =>
      given()
        .when(submitReferral({ sealedNote: 'v1.cipher' }))
        .then(referralSubmitted({ sealedNote: 'v1.cipher' })));

    it.each([ward, provider, leader])('is recorded by the hub only, not a %s user (403)', (by) =>
      given().when(submitReferral({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );

    it('refuses a second submission of the same referral (409)', () =>
      given(submitted).when(submitReferral()).thenThrows(DomainRefusal, refused('REFERRAL_EXISTS', 'conflict')));

    it('refuses a patient id that is not a pseudonym', () =>
      given()
        .when(submitReferral({ patientId: '9434765919' }))
        .thenThrows(DomainRefusal, refused('INVALID_PATIENT_ID')));

    it.each([
      ['kind', { kind: 'step-down' }],
      ['source', { source: 'ward' }],
      ['urgency', { urgency: 'soon' }],
    ])('refuses an unknown %s', (_field, data) =>
      given()
        .when(submitReferral(data as never))
        .thenThrows(DomainRefusal, refused('UNKNOWN_CODE')),
    );

    it('refuses an unknown area and an unknown age band', () => {
      given()
        .when(submitReferral({ area: 'WESSEX' }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_AREA'));
      given()
        .when(submitReferral({ ageBand: '100+' }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_AGE_BAND'));
    });

    it('refuses care hours outside 0–168', () =>
      given()
        .when(submitReferral({ needs: needs({ careHoursPerWeek: 169 }) }))
        .thenThrows(DomainRefusal, refused('INVALID_CARE_HOURS')));
  });

  describe('triage', () => {
    it('support at home asks for a package of the referral’s care hours, with a request id derived from the referral and the triage', () =>
      given(submitted).when(triage()).then(referralTriaged()));

    it('support at home with hours set by the hub', () =>
      given(submitted)
        .when(triage({ hoursPerWeek: 21 }))
        .then(referralTriaged({ hoursPerWeek: 21 })));

    it('support at home with no hours asks for no package', () =>
      given(submitted)
        .when(triage({ hoursPerWeek: 0 }))
        .then(referralTriaged({ hoursPerWeek: 0, careRequest: null })));

    it('a step-up to a bed asks for a step-down bed by default', () =>
      given(submitted)
        .when(triage({ outcome: 'bed', reason: 'needs-24-hour-care' }))
        .then(triagedToBed()));

    it('a step-up to a bed may name another P2 category', () =>
      given(submitted)
        .when(triage({ outcome: 'bed', reason: 'needs-24-hour-care', bedCategory: 'rehab' }))
        .then(triagedToBed({ bedCategory: 'rehab' })));

    it('an end-of-life request to a bed asks for an end-of-life bed', () =>
      given(eol)
        .when(triage({ outcome: 'bed', reason: 'preferred-place-of-care-bed' }))
        .then(eolInBed[1]));

    it('refuses any other bed category for an end-of-life request', () =>
      given(eol)
        .when(triage({ outcome: 'bed', reason: 'preferred-place-of-care-bed', bedCategory: 'rehab' }))
        .thenThrows(DomainRefusal, refused('END_OF_LIFE_NEEDS_END_OF_LIFE_BED')));

    it('refuses a bed category that is not a P2 category', () =>
      given(submitted)
        .when(triage({ outcome: 'bed', reason: 'needs-24-hour-care', bedCategory: 'nursing' as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_CODE')));

    it.each([
      ['signposted', 'hospice-specialist-advice'],
      ['declined', 'needs-acute-admission'],
    ] as const)('%s closes the referral and asks for nothing', (outcome, reason) =>
      given(submitted)
        .when(triage({ outcome, reason }))
        .then(referralTriaged({ outcome, reason, hoursPerWeek: null, careRequest: null, closesReferral: true })),
    );

    it('refuses a reason that does not belong to the outcome', () =>
      given(submitted)
        .when(triage({ outcome: 'declined', reason: 'needs-24-hour-care' }))
        .thenThrows(DomainRefusal, refused('REASON_NOT_FOR_OUTCOME')));

    it('refuses an unknown outcome', () =>
      given(submitted)
        .when(triage({ outcome: 'maybe' as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_CODE')));

    it('refuses details that do not go with the outcome', () => {
      given(submitted)
        .when(triage({ bedCategory: 'step-down' }))
        .thenThrows(DomainRefusal, refused('BED_CATEGORY_NOT_FOR_OUTCOME'));
      given(submitted)
        .when(triage({ outcome: 'bed', reason: 'needs-24-hour-care', hoursPerWeek: 7 }))
        .thenThrows(DomainRefusal, refused('HOURS_NOT_FOR_BED'));
      given(submitted)
        .when(triage({ outcome: 'declined', reason: 'duplicate-referral', hoursPerWeek: 7 }))
        .thenThrows(DomainRefusal, refused('HOURS_NOT_FOR_OUTCOME'));
      given(submitted)
        .when(triage({ hoursPerWeek: 200 }))
        .thenThrows(DomainRefusal, refused('INVALID_CARE_HOURS'));
    });

    it('is the hub’s decision only (403)', () =>
      given(submitted)
        .when(triage({ by: system }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));

    it('refuses a referral that does not exist (404)', () =>
      given().when(triage()).thenThrows(DomainRefusal, refused('REFERRAL_NOT_FOUND', 'not_found')));

    it('the same triage again decides nothing', () =>
      given(...atHome)
        .when(triage())
        .thenNothingHappens());

    it('a new triage before care starts asks afresh and names the request it supersedes, even once care was arranged', () =>
      given(...arrangedAtHome)
        .when(triage({ outcome: 'bed', reason: 'carer-breakdown' }))
        .then(
          triagedToBed({
            reason: 'carer-breakdown',
            careRequest: { setting: 'bed', requestId: SECOND_REQUEST },
            supersedes: { setting: 'home', requestId: FIRST_REQUEST },
          }),
        ));

    it('refuses a triage once care has started (409)', () =>
      given(...startedAtHome)
        .when(triage({ outcome: 'bed', reason: 'carer-breakdown' }))
        .thenThrows(DomainRefusal, refused('CARE_STARTED', 'conflict')));

    it('refuses a triage of a closed referral (409)', () =>
      given(submitted, referralWithdrawn()).when(triage()).thenThrows(DomainRefusal, refused('REFERRAL_CLOSED', 'conflict')));
  });

  describe('the first face-to-face response', () => {
    it('within 2 hours of an urgent referral is within the service level', () =>
      given(submitted).when(recordFirstResponse()).then(firstResponseRecorded()));

    it('after 2 hours is over it', () =>
      given(submitted)
        .when(recordFirstResponse({ respondedAt: '2026-11-23T11:30:00.000Z', at: '2026-11-23T12:00:00.000Z' }))
        .then(
          firstResponseRecorded({
            respondedAt: '2026-11-23T11:30:00.000Z',
            minutesToRespond: 150,
            withinServiceLevel: false,
            recordedAt: '2026-11-23T12:00:00.000Z',
          }),
        ));

    it('at exactly 2 hours is within it', () =>
      given(submitted)
        .when(recordFirstResponse({ respondedAt: RESPOND_BY, at: RESPOND_BY }))
        .then(firstResponseRecorded({ respondedAt: RESPOND_BY, minutesToRespond: 120, recordedAt: RESPOND_BY })));

    it('a routine referral has no service level to be within', () =>
      given(eol)
        .when(recordFirstResponse())
        .then(firstResponseRecorded({ kind: 'end-of-life', urgency: 'routine', withinServiceLevel: null })));

    it('refuses a second first response (409)', () =>
      given(submitted, firstResponseRecorded())
        .when(recordFirstResponse())
        .thenThrows(DomainRefusal, refused('RESPONSE_ALREADY_RECORDED', 'conflict')));

    it('refuses a response before the referral, in the future, or not an instant', () => {
      given(submitted)
        .when(recordFirstResponse({ respondedAt: '2026-11-23T08:00:00.000Z' }))
        .thenThrows(DomainRefusal, refused('BEFORE_REFERRAL'));
      given(submitted)
        .when(recordFirstResponse({ respondedAt: '2026-11-23T10:30:00.000Z' }))
        .thenThrows(DomainRefusal, refused('DATE_IN_FUTURE'));
      given(submitted)
        .when(recordFirstResponse({ respondedAt: '2026-11-23 09:30' }))
        .thenThrows(DomainRefusal, refused('INVALID_INSTANT'));
    });

    it('refuses a response on a closed referral', () =>
      given(submitted, referralWithdrawn())
        .when(recordFirstResponse())
        .thenThrows(DomainRefusal, refused('REFERRAL_CLOSED', 'conflict')));
  });

  describe('the response deadline', () => {
    it('raises a breach when no response was recorded by the respond-by time', () =>
      given(submitted).when(raiseResponseBreach()).then(responseBreached()));

    it('decides nothing after a response, a breach already raised, a closure, early, or for a routine referral', () => {
      given(submitted, firstResponseRecorded()).when(raiseResponseBreach()).thenNothingHappens();
      given(submitted, responseBreached()).when(raiseResponseBreach()).thenNothingHappens();
      given(submitted, referralWithdrawn()).when(raiseResponseBreach()).thenNothingHappens();
      given(submitted)
        .when(raiseResponseBreach({ at: '2026-11-23T10:59:00.000Z' }))
        .thenNothingHappens();
      given(eol).when(raiseResponseBreach()).thenNothingHappens();
      given().when(raiseResponseBreach()).thenNothingHappens();
    });

    it('is raised by the deadline scheduler only', () =>
      given(submitted)
        .when(raiseResponseBreach({ by: hub }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));
  });

  describe('care arranged', () => {
    it('an accepted package for the current request arranges care at home', () =>
      given(...atHome)
        .when(arrangeCare())
        .then(careArranged()));

    it('a bed reservation for the current request arranges a bed', () =>
      given(...eolInBed)
        .when(arrangeCare({ source: 'bed-reservation', sourceId: 'reservation-1' }))
        .then(careArranged({ setting: 'bed', source: 'bed-reservation', sourceId: 'reservation-1' })));

    it('a redelivery decides nothing', () =>
      given(...arrangedAtHome)
        .when(arrangeCare())
        .thenNothingHappens());

    it('a new reservation after the first ended arranges again', () =>
      given(...eolInBed, careArranged({ setting: 'bed', source: 'bed-reservation', sourceId: 'reservation-1' }))
        .when(arrangeCare({ source: 'bed-reservation', sourceId: 'reservation-2' }))
        .then(careArranged({ setting: 'bed', source: 'bed-reservation', sourceId: 'reservation-2' })));

    it('refuses an arrangement for a superseded or unknown request (parked, visible to the hub)', () =>
      given(
        ...atHome,
        triagedToBed({
          careRequest: { setting: 'bed', requestId: SECOND_REQUEST },
          supersedes: { setting: 'home', requestId: FIRST_REQUEST },
        }),
      )
        .when(arrangeCare())
        .thenThrows(DomainRefusal, refused('NOT_THE_CURRENT_CARE_REQUEST')));

    it('refuses an arrangement before triage', () =>
      given(submitted).when(arrangeCare()).thenThrows(DomainRefusal, refused('NOT_THE_CURRENT_CARE_REQUEST')));

    it('refuses a package for a bed request', () =>
      given(...eolInBed)
        .when(arrangeCare({ source: 'home-care-package' }))
        .thenThrows(DomainRefusal, refused('ARRANGEMENT_DOES_NOT_FIT')));

    it('refuses an arrangement for a withdrawn referral (409)', () =>
      given(...atHome, referralWithdrawn())
        .when(arrangeCare())
        .thenThrows(DomainRefusal, refused('REFERRAL_CLOSED', 'conflict')));

    it('is recorded by a process manager or the hub, not a provider', () =>
      given(...atHome)
        .when(arrangeCare({ by: provider }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));
  });

  describe('start of care', () => {
    it('starts at home once the package is accepted, counting London days from referral', () =>
      given(...arrangedAtHome)
        .when(startCare({ startedAt: '2026-11-25T08:00:00.000Z', at: '2026-11-25T09:00:00.000Z' }))
        .then(
          careStarted({
            startedAt: '2026-11-25T08:00:00.000Z',
            startedOn: '2026-11-25',
            daysFromReferral: 2,
            recordedAt: '2026-11-25T09:00:00.000Z',
          }),
        ));

    it('starts in the reserved bed', () =>
      given(...eolInBed, careArranged({ setting: 'bed', source: 'bed-reservation', sourceId: 'reservation-1' }))
        .when(startCare())
        .then(careStarted({ kind: 'end-of-life', setting: 'bed' })));

    it('starts support at home that needed no package straight after triage', () =>
      given(submitted, referralTriaged({ hoursPerWeek: 0, careRequest: null }))
        .when(startCare())
        .then(careStarted({ requestId: null })));

    it('refuses a start before the bed is reserved or the package accepted (409)', () => {
      given(...atHome)
        .when(startCare())
        .thenThrows(DomainRefusal, refused('CARE_NOT_ARRANGED', 'conflict'));
      given(...eolInBed)
        .when(startCare())
        .thenThrows(DomainRefusal, refused('CARE_NOT_ARRANGED', 'conflict'));
    });

    it('refuses a start before triage, or twice', () => {
      given(submitted).when(startCare()).thenThrows(DomainRefusal, refused('NOT_TRIAGED_FOR_CARE', 'conflict'));
      given(...startedAtHome)
        .when(startCare())
        .thenThrows(DomainRefusal, refused('CARE_ALREADY_STARTED', 'conflict'));
    });

    it('refuses a start before the referral or in the future', () => {
      given(...arrangedAtHome)
        .when(startCare({ startedAt: '2026-11-22T09:00:00.000Z' }))
        .thenThrows(DomainRefusal, refused('BEFORE_REFERRAL'));
      given(...arrangedAtHome)
        .when(startCare({ startedAt: '2026-11-23T12:00:00.000Z' }))
        .thenThrows(DomainRefusal, refused('DATE_IN_FUTURE'));
    });
  });

  describe('end of care', () => {
    it.each(['admission-avoided', 'admitted-to-hospital', 'died', 'long-term-care'] as const)(
      'ends with the outcome %s',
      (outcome) =>
        given(...startedAtHome)
          .when(endCare({ outcome }))
          .then(careEnded({ outcome })),
    );

    it('refuses an end before care started: withdraw instead (409)', () =>
      given(...arrangedAtHome)
        .when(endCare())
        .thenThrows(DomainRefusal, refused('CARE_NOT_STARTED', 'conflict')));

    it('refuses an unknown outcome, an end before the start, and an end in the future', () => {
      given(...startedAtHome)
        .when(endCare({ outcome: 'discharged' as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_CODE'));
      given(...startedAtHome)
        .when(endCare({ endedOn: '2026-11-22' }))
        .thenThrows(DomainRefusal, refused('END_BEFORE_START'));
      given(...startedAtHome)
        .when(endCare({ endedOn: '2026-11-24' }))
        .thenThrows(DomainRefusal, refused('DATE_IN_FUTURE'));
      given(...startedAtHome)
        .when(endCare({ endedOn: '2026-11-31' }))
        .thenThrows(DomainRefusal, refused('INVALID_DATE'));
    });

    it('refuses a second end (409)', () =>
      given(...startedAtHome, careEnded())
        .when(endCare())
        .thenThrows(DomainRefusal, refused('REFERRAL_CLOSED', 'conflict')));
  });

  describe('withdrawal', () => {
    it('before triage has nothing outstanding', () => given(submitted).when(withdraw()).then(referralWithdrawn()));

    it.each(['died', 'admitted-to-hospital', 'no-longer-needed'] as const)(
      '%s after triage names the outstanding request, even once arranged, for the compensation',
      (reason) =>
        given(...arrangedAtHome)
          .when(withdraw({ reason }))
          .then(referralWithdrawn({ reason, outstanding: { setting: 'home', requestId: FIRST_REQUEST } })),
    );

    it('keeps a sealed note', () =>
      given(submitted)
        .when(withdraw({ sealedNote: 'v1.cipher' }))
        .then(referralWithdrawn({ sealedNote: 'v1.cipher' })));

    it('refuses once care has started: end it with an outcome (409)', () =>
      given(...startedAtHome)
        .when(withdraw())
        .thenThrows(DomainRefusal, refused('CARE_STARTED', 'conflict')));

    it('refuses a closed referral and an unknown reason', () => {
      given(submitted, referralWithdrawn()).when(withdraw()).thenThrows(DomainRefusal, refused('REFERRAL_CLOSED', 'conflict'));
      given(
        submitted,
        referralTriaged({ outcome: 'declined', reason: 'needs-acute-admission', careRequest: null, closesReferral: true }),
      )
        .when(withdraw())
        .thenThrows(DomainRefusal, refused('REFERRAL_CLOSED', 'conflict'));
      given(submitted)
        .when(withdraw({ reason: 'bored' as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_CODE'));
    });

    it('is the hub’s decision only', () =>
      given(submitted)
        .when(withdraw({ by: ward }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));
  });

  it('folds to a closed referral with its closure', () => {
    const state = [...startedAtHome, careEnded({ outcome: 'admitted-to-hospital' })].reduce(
      referralDeciderForSpecs.evolve,
      referralDeciderForSpecs.initialState(),
    );
    expect(state).toMatchObject({ status: 'closed', closure: { by: 'care-ended', outcome: 'admitted-to-hospital' } });
    expect(SUBMITTED_AT < NOW).toBe(true);
  });
});
