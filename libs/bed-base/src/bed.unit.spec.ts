import { DomainRefusal, type RefusalKind } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import { evolveBed, initialBed, isBedOpen, type BedEvent, type CommissionedBed } from './bed';
import {
  admin,
  admitPatient,
  bedClosed,
  bedCommissioned,
  bedDecommissioned,
  bedForSpecs,
  bedReopened,
  bedReservationExpired,
  bedReservationReleased,
  bedReserved,
  closeBed,
  commissionBed,
  decommissionBed,
  escalationBedOpened,
  escalationBedStoodDown,
  EXPIRES_AT,
  expireBedReservation,
  hub,
  leader,
  NOW,
  openEscalationBed,
  OTHER_REQUEST_ID,
  OTHER_RESERVATION_ID,
  patientAdmitted,
  patientLeftBed,
  provider,
  recordPatientLeftBed,
  releaseBed,
  reopenBed,
  reserveBed,
  standDownEscalationBed,
  system,
  ward,
} from './testing/builders';

const given = specFor(bedForSpecs);
const refused =
  (code: string, kind?: RefusalKind) =>
  (error: DomainRefusal): void =>
    expect(error).toMatchObject(kind ? { code, kind } : { code });
const fold = (...events: BedEvent[]) => events.reduce(evolveBed, initialBed()) as CommissionedBed;

const bed = bedCommissioned();
const escalation = bedCommissioned({ tier: 4, escalation: true });
const reserved = [bed, bedReserved()];
const occupied = [bed, bedReserved(), patientAdmitted()];

describe('Bed', () => {
  describe('commissioning', () => {
    it.each([admin, hub])('records the bed with pathway, category, capabilities, bay sex, funding and tier (%o)', (by) =>
      given().when(commissionBed({ by })).then(bedCommissioned()),
    );

    it('commissions a side room with the side-room capability', () =>
      given()
        .when(commissionBed({ baySex: 'single-room', capabilities: ['side-room', 'bariatric'] }))
        .then(bedCommissioned({ baySex: 'single-room', capabilities: ['side-room', 'bariatric'] })));

    it('commissions a P3 nursing bed, spot-purchased, in tier 3', () =>
      given()
        .when(commissionBed({ pathway: 3, category: 'nursing', funding: 'spot', tier: 3 }))
        .then(bedCommissioned({ pathway: 3, category: 'nursing', funding: 'spot', tier: 3 })));

    it('labels a bed with its id when no label is given', () =>
      given()
        .when(commissionBed({ label: undefined }))
        .then(bedCommissioned({ label: 'FROME-CH-01' })));

    it('commissions a winter escalation bed stood down, so it is not open until opened', () => {
      given()
        .when(commissionBed({ tier: 4, escalation: true }))
        .then(escalation);
      expect(isBedOpen(fold(escalation))).toBe(false);
    });

    it.each([ward, leader, provider, system])('refuses a %o user (403)', (by) =>
      given().when(commissionBed({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );

    it('refuses a second commissioning (409)', () =>
      given(bed).when(commissionBed()).thenThrows(DomainRefusal, refused('BED_EXISTS', 'conflict')));

    it.each([
      ['a pathway 1 bed', { pathway: 1 as never }, 'NOT_A_BEDDED_PATHWAY'],
      ['a nursing bed on pathway 2', { category: 'nursing' as const }, 'CATEGORY_NOT_ON_PATHWAY'],
      ['a rehab bed on pathway 3', { pathway: 3 as const, category: 'rehab' as const }, 'CATEGORY_NOT_ON_PATHWAY'],
      ['an unknown capability', { capabilities: ['jacuzzi' as never] }, 'UNKNOWN_CODE'],
      ['a capability twice', { capabilities: ['hoist', 'hoist'] as const }, 'DUPLICATE_CAPABILITY'],
      ['an unknown bay sex', { baySex: 'mixed' as never }, 'UNKNOWN_CODE'],
      ['an unknown funding', { funding: 'private' as never }, 'UNKNOWN_CODE'],
      ['a tier not in the hierarchy of use', { tier: 9 }, 'UNKNOWN_TIER'],
      ['a fractional tier', { tier: 1.5 }, 'UNKNOWN_TIER'],
      ['a single room without the side-room capability', { baySex: 'single-room' as const }, 'SIDE_ROOM_MISMATCH'],
      ['a bay bed that claims to be a side room', { capabilities: ['side-room'] as const }, 'SIDE_ROOM_MISMATCH'],
    ])('refuses %s', (_what, data, code) =>
      given()
        .when(commissionBed(data as never))
        .thenThrows(DomainRefusal, refused(code, 'unprocessable')),
    );
  });

  describe('decommissioning', () => {
    it('takes an empty bed out of the base', () => given(bed).when(decommissionBed()).then(bedDecommissioned()));

    it('refuses a reserved bed (409)', () =>
      given(...reserved)
        .when(decommissionBed())
        .thenThrows(DomainRefusal, refused('BED_RESERVED', 'conflict')));

    it('refuses an occupied bed (409)', () =>
      given(...occupied)
        .when(decommissionBed())
        .thenThrows(DomainRefusal, refused('BED_OCCUPIED', 'conflict')));

    it('refuses a bed already decommissioned (409)', () =>
      given(bed, bedDecommissioned())
        .when(decommissionBed())
        .thenThrows(DomainRefusal, refused('BED_DECOMMISSIONED', 'conflict')));

    it('refuses a bed that was never commissioned (404)', () =>
      given().when(decommissionBed()).thenThrows(DomainRefusal, refused('BED_NOT_FOUND', 'not_found')));

    it('refuses a ward user (403)', () =>
      given(bed)
        .when(decommissionBed({ by: ward }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));
  });

  describe('closures', () => {
    it.each(['infection', 'staffing', 'maintenance', 'estates'] as const)('closes a bed for %s', (reason) =>
      given(bed).when(closeBed({ reason })).then(bedClosed({ reason })),
    );

    it('reopens it, saying what it was closed for and since when', () =>
      given(bed, bedClosed({ reason: 'estates', closedAt: '2026-11-01T09:00:00.000Z' }))
        .when(reopenBed())
        .then(bedReopened({ closedFor: 'estates', closedAt: '2026-11-01T09:00:00.000Z' })));

    it('a closed bed is still commissioned but not open', () => {
      const closed = fold(bed, bedClosed());
      expect(closed.status).toBe('in-service');
      expect(isBedOpen(closed)).toBe(false);
      expect(isBedOpen(fold(bed, bedClosed(), bedReopened()))).toBe(true);
    });

    it('refuses an uncoded reason', () =>
      given(bed)
        .when(closeBed({ reason: 'fancy' as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_CODE')));

    it('refuses closing a closed bed (409)', () =>
      given(bed, bedClosed())
        .when(closeBed({ reason: 'staffing' }))
        .thenThrows(DomainRefusal, refused('BED_ALREADY_CLOSED', 'conflict')));

    it('refuses reopening an open bed (409)', () =>
      given(bed).when(reopenBed()).thenThrows(DomainRefusal, refused('BED_NOT_CLOSED', 'conflict')));

    it('refuses closing a reserved bed: release the reservation first (409)', () =>
      given(...reserved)
        .when(closeBed())
        .thenThrows(DomainRefusal, refused('BED_RESERVED', 'conflict')));

    it('refuses closing an occupied bed (409)', () =>
      given(...occupied)
        .when(closeBed())
        .thenThrows(DomainRefusal, refused('BED_OCCUPIED', 'conflict')));

    it('refuses closing a decommissioned bed (409)', () =>
      given(bed, bedDecommissioned()).when(closeBed()).thenThrows(DomainRefusal, refused('BED_DECOMMISSIONED', 'conflict')));

    it.each([ward, leader, provider, system])('refuses a %o user (403)', (by) =>
      given(bed).when(closeBed({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });

  describe('winter escalation', () => {
    it('opens an escalation bed', () => given(escalation).when(openEscalationBed()).then(escalationBedOpened()));

    it('stands it down', () =>
      given(escalation, escalationBedOpened()).when(standDownEscalationBed()).then(escalationBedStoodDown()));

    it('an opened escalation bed is open; stood down it is not', () => {
      expect(isBedOpen(fold(escalation, escalationBedOpened()))).toBe(true);
      expect(isBedOpen(fold(escalation, escalationBedOpened(), escalationBedStoodDown()))).toBe(false);
    });

    it('refuses to open an ordinary bed as escalation', () =>
      given(bed).when(openEscalationBed()).thenThrows(DomainRefusal, refused('NOT_AN_ESCALATION_BED', 'unprocessable')));

    it('refuses opening an open escalation bed (409)', () =>
      given(escalation, escalationBedOpened())
        .when(openEscalationBed())
        .thenThrows(DomainRefusal, refused('ESCALATION_BED_ALREADY_OPEN', 'conflict')));

    it('refuses standing down a stood-down bed (409)', () =>
      given(escalation)
        .when(standDownEscalationBed())
        .thenThrows(DomainRefusal, refused('ESCALATION_BED_ALREADY_STOOD_DOWN', 'conflict')));

    it('refuses standing down an escalation bed that is reserved (409)', () =>
      given(escalation, escalationBedOpened(), bedReserved())
        .when(standDownEscalationBed())
        .thenThrows(DomainRefusal, refused('BED_RESERVED', 'conflict')));

    it('refuses reserving a stood-down escalation bed (409)', () =>
      given(escalation).when(reserveBed()).thenThrows(DomainRefusal, refused('ESCALATION_BED_STOOD_DOWN', 'conflict')));

    it('reserves an opened escalation bed', () =>
      given(escalation, escalationBedOpened()).when(reserveBed()).then(bedReserved()));

    it('refuses a ward user (403)', () =>
      given(escalation)
        .when(openEscalationBed({ by: ward }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));
  });

  describe('reserving: one holder per bed', () => {
    it('holds the bed for a request until the expiry', () => given(bed).when(reserveBed()).then(bedReserved()));

    it('refuses a second holder (409)', () =>
      given(...reserved)
        .when(reserveBed({ requestId: OTHER_REQUEST_ID, reservationId: OTHER_RESERVATION_ID }))
        .thenThrows(DomainRefusal, (error) => {
          expect(error).toMatchObject({ code: 'BED_ALREADY_RESERVED', kind: 'conflict', details: { heldUntil: EXPIRES_AT } });
        }));

    it('decides nothing for a retry of the same reservation', () =>
      given(...reserved)
        .when(reserveBed())
        .thenNothingHappens());

    it('refuses an occupied bed (409)', () =>
      given(...occupied)
        .when(reserveBed({ reservationId: OTHER_RESERVATION_ID }))
        .thenThrows(DomainRefusal, refused('BED_OCCUPIED', 'conflict')));

    it('refuses a closed bed (409)', () =>
      given(bed, bedClosed()).when(reserveBed()).thenThrows(DomainRefusal, refused('BED_CLOSED', 'conflict')));

    it('refuses a decommissioned bed (409)', () =>
      given(bed, bedDecommissioned()).when(reserveBed()).thenThrows(DomainRefusal, refused('BED_DECOMMISSIONED', 'conflict')));

    it('refuses reusing a reservation id that has ended (409)', () =>
      given(bed, bedReserved(), bedReservationReleased())
        .when(reserveBed())
        .thenThrows(DomainRefusal, refused('RESERVATION_ID_USED', 'conflict')));

    it('takes a new reservation once the last one was released', () =>
      given(bed, bedReserved(), bedReservationReleased())
        .when(reserveBed({ requestId: OTHER_REQUEST_ID, reservationId: OTHER_RESERVATION_ID }))
        .then(bedReserved({ requestId: OTHER_REQUEST_ID, reservationId: OTHER_RESERVATION_ID })));

    it.each([
      ['an expiry in the past', NOW, 'EXPIRY_NOT_IN_FUTURE'],
      ['an expiry more than 72 hours away', '2026-11-26T10:00:01.000Z', 'RESERVATION_TOO_LONG'],
      ['an expiry that is not an instant', 'tomorrow', 'INVALID_INSTANT'],
    ])('refuses %s', (_what, expiresAt, code) =>
      given(bed).when(reserveBed({ expiresAt })).thenThrows(DomainRefusal, refused(code, 'unprocessable')),
    );

    it.each([admin, ward, leader, provider, system])('refuses a %o user (403)', (by) =>
      given(bed).when(reserveBed({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });

  describe('releasing', () => {
    it('frees the bed, with the reason', () =>
      given(...reserved)
        .when(releaseBed())
        .then(bedReservationReleased()));

    it('lets a process manager release for a closed request', () =>
      given(...reserved)
        .when(releaseBed({ by: system, reason: 'request-closed' }))
        .then(bedReservationReleased({ reason: 'request-closed' })));

    it('decides nothing for a reservation that already ended (a repeat or a lost race)', () =>
      given(bed, bedReserved(), bedReservationExpired())
        .when(releaseBed({ by: system }))
        .thenNothingHappens());

    it('decides nothing for a reservation already taken up by an admission', () =>
      given(...occupied)
        .when(releaseBed({ by: system, reason: 'request-closed' }))
        .thenNothingHappens());

    it('refuses a reservation the bed never held (404)', () =>
      given(...reserved)
        .when(releaseBed({ reservationId: OTHER_RESERVATION_ID }))
        .thenThrows(DomainRefusal, refused('RESERVATION_NOT_FOUND', 'not_found')));

    it('a released bed is free to reserve', () => {
      const released = fold(bed, bedReserved(), bedReservationReleased());
      expect(released.holder).toBeNull();
      expect(isBedOpen(released)).toBe(true);
    });

    it.each([ward, leader, provider, admin])('refuses a %o user (403)', (by) =>
      given(...reserved)
        .when(releaseBed({ by }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });

  describe('expiry on the durable deadline', () => {
    it('expires the reservation at its deadline', () =>
      given(...reserved)
        .when(expireBedReservation())
        .then(bedReservationExpired()));

    it('expires it when the deadline fires late', () =>
      given(...reserved)
        .when(expireBedReservation({ at: '2026-11-24T13:00:00.000Z' }))
        .then(bedReservationExpired({ expiredAt: '2026-11-24T13:00:00.000Z' })));

    it('decides nothing when it fires again after expiring', () =>
      given(bed, bedReserved(), bedReservationExpired()).when(expireBedReservation()).thenNothingHappens());

    it('decides nothing for a reservation released before the deadline', () =>
      given(bed, bedReserved(), bedReservationReleased()).when(expireBedReservation()).thenNothingHappens());

    it('decides nothing for a reservation taken up by an admission', () =>
      given(...occupied)
        .when(expireBedReservation())
        .thenNothingHappens());

    it('decides nothing for an old reservation while the bed is held by a newer one', () =>
      given(
        bed,
        bedReserved(),
        bedReservationReleased(),
        bedReserved({ requestId: OTHER_REQUEST_ID, reservationId: OTHER_RESERVATION_ID }),
      )
        .when(expireBedReservation())
        .thenNothingHappens());

    it('refuses a deadline that fires early, so the scheduler tries again (409)', () =>
      given(...reserved)
        .when(expireBedReservation({ at: '2026-11-24T09:59:59.000Z' }))
        .thenThrows(DomainRefusal, refused('RESERVATION_NOT_YET_EXPIRED', 'conflict')));

    it.each([hub, admin])('refuses a person expiring a reservation (%o, 403)', (by) =>
      given(...reserved)
        .when(expireBedReservation({ by }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });

  describe('admission and leaving', () => {
    it('admits the person the bed was reserved for, at the discharge time', () =>
      given(...reserved)
        .when(admitPatient({ admittedAt: '2026-11-23T14:30:00.000Z' }))
        .then(patientAdmitted({ admittedAt: '2026-11-23T14:30:00.000Z' })));

    it('decides nothing for a redelivered admission', () =>
      given(...occupied)
        .when(admitPatient())
        .thenNothingHappens());

    it('refuses an admission for a reservation the bed does not hold (409, parked for the hub)', () =>
      given(bed, bedReserved(), bedReservationExpired())
        .when(admitPatient())
        .thenThrows(DomainRefusal, refused('RESERVATION_NOT_HELD', 'conflict')));

    it.each([hub, admin, ward])('refuses anyone but a process manager: the discharge is authoritative (%o, 403)', (by) =>
      given(...reserved)
        .when(admitPatient({ by }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );

    it('an occupied bed is neither held nor free', () => {
      const state = fold(...occupied);
      expect(state.holder).toBeNull();
      expect(state.occupant).toMatchObject({ requestId: expect.any(String), admittedAt: NOW });
    });

    it.each(['home', 'home-with-care', 'long-term-care', 'hospital', 'died'] as const)(
      'records the person leaving with outcome %s, and the length of stay in London days',
      (outcome) =>
        given(...occupied)
          .when(recordPatientLeftBed({ outcome, at: '2026-12-14T11:00:00.000Z' }))
          .then(patientLeftBed({ outcome, leftAt: '2026-12-14T11:00:00.000Z', lengthOfStayDays: 21 })),
    );

    it('counts the stay across the clock change in London calendar days', () =>
      given(bed, bedReserved(), patientAdmitted({ admittedAt: '2026-03-28T23:30:00.000Z' }))
        .when(recordPatientLeftBed({ at: '2026-03-30T00:30:00.000Z' }))
        .then(
          patientLeftBed({ admittedAt: '2026-03-28T23:30:00.000Z', leftAt: '2026-03-30T00:30:00.000Z', lengthOfStayDays: 2 }),
        ));

    it('leaving frees the bed', () => {
      const left = fold(...occupied, patientLeftBed());
      expect(left.occupant).toBeNull();
      expect(isBedOpen(left)).toBe(true);
    });

    it('refuses leaving an empty bed (409)', () =>
      given(bed).when(recordPatientLeftBed()).thenThrows(DomainRefusal, refused('BED_NOT_OCCUPIED', 'conflict')));

    it('refuses an uncoded outcome', () =>
      given(...occupied)
        .when(recordPatientLeftBed({ outcome: 'elsewhere' as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_CODE')));

    it.each([ward, leader, provider])('refuses a %o user (403)', (by) =>
      given(...occupied)
        .when(recordPatientLeftBed({ by }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });
});
