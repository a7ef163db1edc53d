import { DomainRefusal, type RefusalKind } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import {
  admin,
  bedNeeds,
  bedRequestClosed,
  bedRequestForSpecs,
  bedRequestFulfilled,
  bedRequestOpened,
  bedRequestReservationEnded,
  bedRequestReservationRecorded,
  closeBedRequest,
  endReservation,
  hub,
  leader,
  openBedRequest,
  OTHER_RESERVATION_ID,
  provider,
  recordDischargeToBed,
  recordReservation,
  system,
  ward,
} from './testing/builders';

const given = specFor(bedRequestForSpecs);
const refused =
  (code: string, kind?: RefusalKind) =>
  (error: DomainRefusal): void =>
    expect(error).toMatchObject(kind ? { code, kind } : { code });

const opened = bedRequestOpened();
const reserved = [opened, bedRequestReservationRecorded()];

describe('BedRequest', () => {
  describe('opening', () => {
    it('opens a request for a process manager, with pathway, category, locality and needs', () =>
      given()
        .when(openBedRequest({ needs: bedNeeds({ capabilities: ['hoist', 'bariatric'], sexForBayAllocation: 'female' }) }))
        .then(bedRequestOpened({ needs: bedNeeds({ capabilities: ['hoist', 'bariatric'], sexForBayAllocation: 'female' }) })));

    it('opens a step-up request from a community referral, for the hub', () =>
      given()
        .when(openBedRequest({ by: hub, origin: 'community-referral' }))
        .then(bedRequestOpened({ origin: 'community-referral' })));

    it('opens a P3 nursing request', () =>
      given()
        .when(openBedRequest({ pathway: 3, bedCategory: 'nursing' }))
        .then(bedRequestOpened({ pathway: 3, bedCategory: 'nursing' })));

    it('refuses a second opening on the stream (409); the route opens create-only, so a redelivery never gets here', () =>
      given(opened).when(openBedRequest()).thenThrows(DomainRefusal, refused('BED_REQUEST_EXISTS', 'conflict')));

    it.each([
      ['pathway 1', { pathway: 1 as never }, 'NOT_A_BEDDED_PATHWAY'],
      ['a P3 category on P2', { bedCategory: 'residential' as const }, 'CATEGORY_NOT_ON_PATHWAY'],
      ['an unknown area', { area: 'BRISTOL' }, 'UNKNOWN_AREA'],
      ['an unknown origin', { origin: 'email' as never }, 'UNKNOWN_CODE'],
      ['an unknown capability', { needs: bedNeeds({ capabilities: ['jacuzzi' as never] }) }, 'UNKNOWN_CODE'],
    ])('refuses %s', (_what, data, code) => given().when(openBedRequest(data)).thenThrows(DomainRefusal, refused(code)));

    it.each([ward, leader, provider, admin])('refuses a %o user (403)', (by) =>
      given().when(openBedRequest({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });

  describe('recording a reservation: one active reservation per request', () => {
    it('records the bed the hub reserved', () => given(opened).when(recordReservation()).then(bedRequestReservationRecorded()));

    it('refuses a second active reservation (409)', () =>
      given(...reserved)
        .when(recordReservation({ bedId: 'FROME-CH-02', reservationId: OTHER_RESERVATION_ID }))
        .thenThrows(DomainRefusal, (error) =>
          expect(error).toMatchObject({
            code: 'REQUEST_ALREADY_HAS_RESERVATION',
            kind: 'conflict',
            details: { bedId: 'FROME-CH-01' },
          }),
        ));

    it('decides nothing for a retry of the same reservation', () =>
      given(...reserved)
        .when(recordReservation())
        .thenNothingHappens());

    it('records a new reservation once the last one ended', () =>
      given(...reserved, bedRequestReservationEnded({ reason: 'expired' }))
        .when(recordReservation({ bedId: 'FROME-CH-02', reservationId: OTHER_RESERVATION_ID }))
        .then(bedRequestReservationRecorded({ bedId: 'FROME-CH-02', reservationId: OTHER_RESERVATION_ID })));

    it('refuses reusing an ended reservation id (409)', () =>
      given(...reserved, bedRequestReservationEnded())
        .when(recordReservation())
        .thenThrows(DomainRefusal, refused('RESERVATION_ID_USED', 'conflict')));

    it('refuses a closed request, so a closed request never holds a bed (409)', () =>
      given(opened, bedRequestClosed())
        .when(recordReservation())
        .thenThrows(DomainRefusal, refused('BED_REQUEST_CLOSED', 'conflict')));

    it('refuses a fulfilled request (409)', () =>
      given(...reserved, bedRequestFulfilled())
        .when(recordReservation({ reservationId: OTHER_RESERVATION_ID }))
        .thenThrows(DomainRefusal, refused('BED_REQUEST_FULFILLED', 'conflict')));

    it('refuses a request that does not exist (404)', () =>
      given().when(recordReservation()).thenThrows(DomainRefusal, refused('BED_REQUEST_NOT_FOUND', 'not_found')));

    it.each([system, admin, ward])('refuses a %o user (403)', (by) =>
      given(opened).when(recordReservation({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });

  describe('ending a reservation (mirrors the bed)', () => {
    it.each(['released', 'expired'] as const)('ends the active reservation as %s', (reason) =>
      given(...reserved)
        .when(endReservation({ reason }))
        .then(bedRequestReservationEnded({ reason })),
    );

    it('decides nothing for a reservation that is not the active one', () =>
      given(...reserved)
        .when(endReservation({ reservationId: OTHER_RESERVATION_ID }))
        .thenNothingHappens());

    it('decides nothing when repeated', () =>
      given(...reserved, bedRequestReservationEnded())
        .when(endReservation())
        .thenNothingHappens());

    it('decides nothing on a closed request', () =>
      given(opened, bedRequestClosed())
        .when(endReservation({ reason: 'expired' }))
        .thenNothingHappens());

    it.each([ward, leader])('refuses a %o user (403)', (by) =>
      given(...reserved)
        .when(endReservation({ by }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });

  describe('discharge into the reserved bed', () => {
    it('fulfils the request with the reserved bed, at the discharge time', () =>
      given(...reserved)
        .when(recordDischargeToBed({ dischargedAt: '2026-11-23T15:00:00.000Z' }))
        .then(bedRequestFulfilled({ admittedAt: '2026-11-23T15:00:00.000Z' })));

    it('decides nothing when redelivered', () =>
      given(...reserved, bedRequestFulfilled())
        .when(recordDischargeToBed())
        .thenNothingHappens());

    it('refuses when no bed is reserved, so the message is parked for the hub (422)', () =>
      given(opened).when(recordDischargeToBed()).thenThrows(DomainRefusal, refused('NO_RESERVATION_TO_ADMIT', 'unprocessable')));

    it('refuses on a closed request (409)', () =>
      given(opened, bedRequestClosed())
        .when(recordDischargeToBed())
        .thenThrows(DomainRefusal, refused('BED_REQUEST_CLOSED', 'conflict')));

    it.each([hub, admin])('refuses a person (%o, 403): admission follows the discharge', (by) =>
      given(...reserved)
        .when(recordDischargeToBed({ by }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });

  describe('closing: the compensations', () => {
    it.each([
      'case-withdrawn',
      'patient-died',
      'criteria-to-reside-met-again',
      'pathway-changed',
      'discharged-elsewhere',
      'no-longer-needed',
    ] as const)('closes for %s, naming the reservation it releases', (reason) =>
      given(...reserved)
        .when(closeBedRequest({ reason }))
        .then(bedRequestClosed({ reason, releasedReservation: { bedId: 'FROME-CH-01', reservationId: expect.any(String) } })),
    );

    it('closes a request with no reservation, releasing nothing', () =>
      given(opened)
        .when(closeBedRequest({ reason: 'pathway-changed' }))
        .then(bedRequestClosed({ reason: 'pathway-changed' })));

    it('closes after an expiry with nothing to release', () =>
      given(...reserved, bedRequestReservationEnded({ reason: 'expired' }))
        .when(closeBedRequest())
        .then(bedRequestClosed()));

    it('decides nothing when already closed', () =>
      given(opened, bedRequestClosed())
        .when(closeBedRequest({ reason: 'pathway-changed' }))
        .thenNothingHappens());

    it('decides nothing once the person was admitted', () =>
      given(...reserved, bedRequestFulfilled())
        .when(closeBedRequest())
        .thenNothingHappens());

    it('lets the hub close a request that is no longer needed', () =>
      given(opened)
        .when(closeBedRequest({ by: hub, reason: 'no-longer-needed' }))
        .then(bedRequestClosed({ reason: 'no-longer-needed' })));

    it('refuses an uncoded reason', () =>
      given(opened)
        .when(closeBedRequest({ reason: 'bored' as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_CODE')));

    it('refuses a request that does not exist (404)', () =>
      given().when(closeBedRequest()).thenThrows(DomainRefusal, refused('BED_REQUEST_NOT_FOUND', 'not_found')));

    it.each([ward, leader, provider, admin])('refuses a %o user (403)', (by) =>
      given(opened).when(closeBedRequest({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });
});
