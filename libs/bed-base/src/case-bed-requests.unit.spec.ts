import { DomainRefusal, type RefusalKind } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import {
  caseBedRequestsDecider,
  type BedRequestRaised,
  type CaseBeddedPlanEnded,
  type CaseBedNeedsRecorded,
  type CaseBedRequestEnded,
  type CaseBedRequestsCommand,
  type CaseDischargedToBed,
} from './case-bed-requests';
import { bedNeeds, CASE_ID, hub, metadata, NOW, system } from './testing/builders';

const given = specFor(caseBedRequestsDecider);
const refused =
  (code: string, kind?: RefusalKind) =>
  (error: DomainRefusal): void =>
    expect(error).toMatchObject(kind ? { code, kind } : { code });

const FIRST = 'request-first';
const SECOND = 'request-second';
const needs = bedNeeds({ capabilities: ['hoist'] });

const command = <C extends CaseBedRequestsCommand>(type: C['type'], data: Omit<C['data'], 'caseId'>, by = system): C =>
  ({ type, data: { caseId: CASE_ID, ...data }, metadata: metadata(by) }) as C;

const noted: CaseBedNeedsRecorded = {
  type: 'CaseBedNeedsRecorded',
  data: { caseId: CASE_ID, area: 'MENDIP', needs, recordedAt: NOW },
};
const raised = (requestId = FIRST, over: Partial<BedRequestRaised['data']> = {}): BedRequestRaised => ({
  type: 'BedRequestRaised',
  data: { caseId: CASE_ID, requestId, pathway: 2, bedCategory: 'rehab', area: 'MENDIP', needs, raisedAt: NOW, ...over },
});
const ended = (reason: CaseBedRequestEnded['data']['reason'], requestId = FIRST): CaseBedRequestEnded => ({
  type: 'CaseBedRequestEnded',
  data: { caseId: CASE_ID, requestId, reason, endedAt: NOW },
});
const dischargedToBed = (requestId = FIRST): CaseDischargedToBed => ({
  type: 'CaseDischargedToBed',
  data: { caseId: CASE_ID, requestId, pathway: 2, dischargedAt: NOW },
});

describe('CaseBedRequests (the case → request index)', () => {
  it("records the referral's area and bed needs once", () => {
    given()
      .when(command('RecordCaseBedNeeds', { area: 'MENDIP', needs }))
      .then(noted);
    given(noted)
      .when(command('RecordCaseBedNeeds', { area: 'SEDGEMOOR', needs }))
      .thenNothingHappens();
  });

  it('raises a request with the area and needs PathwayAssigned does not carry', () =>
    given(noted)
      .when(command('RaiseBedRequest', { requestId: FIRST, pathway: 2, bedCategory: 'rehab' }))
      .then(raised()));

  it('decides nothing for a redelivered PathwayAssigned', () =>
    given(noted, raised())
      .when(command('RaiseBedRequest', { requestId: FIRST, pathway: 2, bedCategory: 'rehab' }))
      .thenNothingHappens());

  it('P2 → P3: ends the open request (pathway changed) and raises a new one', () =>
    given(noted, raised())
      .when(command('RaiseBedRequest', { requestId: SECOND, pathway: 3, bedCategory: 'nursing' }))
      .then(ended('pathway-changed'), raised(SECOND, { pathway: 3, bedCategory: 'nursing' })));

  it('P2 → P1 → P2: the first request ended, a new request is raised with its own id', () =>
    given(noted, raised(), ended('pathway-changed'))
      .when(command('RaiseBedRequest', { requestId: SECOND, pathway: 2, bedCategory: 'rehab' }))
      .then(raised(SECOND)));

  it('refuses to raise before the referral is known, so the message is parked (404)', () =>
    given()
      .when(command('RaiseBedRequest', { requestId: FIRST, pathway: 2, bedCategory: 'rehab' }))
      .thenThrows(DomainRefusal, refused('CASE_NOT_NOTED', 'not_found')));

  it('refuses to raise after discharge (409)', () =>
    given(noted, raised(), dischargedToBed())
      .when(command('RaiseBedRequest', { requestId: SECOND, pathway: 2, bedCategory: 'rehab' }))
      .thenThrows(DomainRefusal, refused('CASE_DISCHARGED', 'conflict')));

  it.each(['case-withdrawn', 'patient-died', 'criteria-to-reside-met-again', 'pathway-changed'] as const)(
    'ends the open request: %s',
    (reason) => given(noted, raised()).when(command('EndCaseBedRequest', { reason })).then(ended(reason)),
  );

  it('decides nothing to end when no request is open, or the case never reached bed-base', () => {
    given(noted)
      .when(command('EndCaseBedRequest', { reason: 'case-withdrawn' }))
      .thenNothingHappens();
    given()
      .when(command('EndCaseBedRequest', { reason: 'case-withdrawn' }))
      .thenNothingHappens();
    given(noted, raised(), ended('pathway-changed'))
      .when(command('EndCaseBedRequest', { reason: 'criteria-to-reside-met-again' }))
      .thenNothingHappens();
  });

  it('a discharge on P2 names the open request to admit from', () =>
    given(noted, raised())
      .when(command('NoteCaseDischarge', { pathway: 2, dischargedAt: NOW }))
      .then(dischargedToBed()));

  it('a redelivered discharge decides nothing', () =>
    given(noted, raised(), dischargedToBed())
      .when(command('NoteCaseDischarge', { pathway: 2, dischargedAt: NOW }))
      .thenNothingHappens());

  it.each([0, 1] as const)('a discharge on P%s ends the open request: discharged elsewhere', (pathway) =>
    given(noted, raised())
      .when(command('NoteCaseDischarge', { pathway, dischargedAt: NOW }))
      .then(ended('discharged-elsewhere')),
  );

  it('a discharge on P0/P1 with no open request decides nothing', () =>
    given(noted)
      .when(command('NoteCaseDischarge', { pathway: 1, dischargedAt: NOW }))
      .thenNothingHappens());

  it('refuses a P2/P3 discharge with no open request, so the hub sees it parked (422)', () =>
    given(noted)
      .when(command('NoteCaseDischarge', { pathway: 3, dischargedAt: NOW }))
      .thenThrows(DomainRefusal, refused('NO_OPEN_BED_REQUEST', 'unprocessable')));

  describe('a new NCTR period after CTR was met again', () => {
    const planEnded: CaseBeddedPlanEnded = { type: 'CaseBeddedPlanEnded', data: { caseId: CASE_ID, endedAt: NOW } };
    const renew = (requestId = SECOND) => command('RenewBedRequest', { requestId });

    it('raises a new request on the last bedded plan (P2 rehab)', () =>
      given(noted, raised(), ended('criteria-to-reside-met-again')).when(renew()).then(raised(SECOND)));

    it('keeps the plan’s pathway and category (P3 nursing)', () =>
      given(noted, raised(FIRST, { pathway: 3, bedCategory: 'nursing' }), ended('criteria-to-reside-met-again'))
        .when(renew())
        .then(raised(SECOND, { pathway: 3, bedCategory: 'nursing' })));

    it('decides nothing while a request is still open (the first NCTR period after a P2 assignment)', () =>
      given(noted, raised()).when(renew()).thenNothingHappens());

    it('decides nothing for a case with no bedded plan, or never noted', () => {
      given(noted).when(renew()).thenNothingHappens();
      given().when(renew()).thenNothingHappens();
    });

    it('decides nothing when redelivered', () =>
      given(noted, raised(), ended('criteria-to-reside-met-again'), raised(SECOND)).when(renew()).thenNothingHappens());

    it('decides nothing after the pathway moved off P2/P3 with a request open', () =>
      given(noted, raised(), ended('pathway-changed')).when(renew()).thenNothingHappens());

    it('a pathway change off P2/P3 after CTR was met again ends the plan, so a later NCTR period raises nothing', () => {
      given(noted, raised(), ended('criteria-to-reside-met-again'))
        .when(command('EndCaseBedRequest', { reason: 'pathway-changed' }))
        .then(planEnded);
      given(noted, raised(), ended('criteria-to-reside-met-again'), planEnded).when(renew()).thenNothingHappens();
    });

    it('decides nothing after a discharge into a bed', () =>
      given(noted, raised(), dischargedToBed()).when(renew()).thenNothingHappens());
  });

  it('refuses anyone but a process manager (403)', () =>
    given(noted)
      .when(command('EndCaseBedRequest', { reason: 'case-withdrawn' }, hub))
      .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));
});
