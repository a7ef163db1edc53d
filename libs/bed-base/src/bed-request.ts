import { assertNever, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';
import {
  assertInstant,
  assertOneOf,
  assertRole,
  BED_CAPABILITIES,
  BED_PATHWAYS,
  isCategoryOnPathway,
  refuse,
  REQUEST_CLOSURE_REASONS,
  REQUEST_ORIGINS,
  type BedBaseRules,
  type BedCategory,
  type BedNeeds,
  type BedPathway,
  type RequestClosureReason,
  type RequestOrigin,
} from './codes';

/**
 * A person's need for a community bed. One stream per request, `bedRequest-<requestId>`, where the id
 * is derived from the event that raised it; the request is the aggregate that keeps "one active
 * reservation per request" (DESIGN §3), as the bed keeps "one holder per bed".
 */

export interface BedRequestDetails {
  requestId: string;
  /** The discharge case (or, for a community referral, the referral) the request serves. */
  caseId: string;
  origin: RequestOrigin;
  pathway: BedPathway;
  bedCategory: BedCategory;
  /** Where the person lives: the locality beds are ranked from. */
  area: string;
  needs: BedNeeds;
}

export interface RequestReservation {
  bedId: string;
  reservationId: string;
}

export const RESERVATION_ENDINGS = ['released', 'expired'] as const;
export type ReservationEnding = (typeof RESERVATION_ENDINGS)[number];

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export type BedRequestOpened = DomainEvent<'BedRequestOpened', BedRequestDetails & { openedAt: string }>;
export type BedRequestReservationRecorded = DomainEvent<
  'BedRequestReservationRecorded',
  RequestReservation & { requestId: string; caseId: string; origin: RequestOrigin; expiresAt: string; recordedAt: string }
>;
export type BedRequestReservationEnded = DomainEvent<
  'BedRequestReservationEnded',
  RequestReservation & { requestId: string; caseId: string; reason: ReservationEnding; endedAt: string }
>;
/** The person was discharged into the reserved bed: bed-base records the admission from this. */
export type BedRequestFulfilled = DomainEvent<
  'BedRequestFulfilled',
  RequestReservation & { requestId: string; caseId: string; admittedAt: string }
>;
export type BedRequestClosed = DomainEvent<
  'BedRequestClosed',
  {
    requestId: string;
    caseId: string;
    reason: RequestClosureReason;
    /** The reservation the closure lets go of: a process manager releases it on the bed. */
    releasedReservation: RequestReservation | null;
    closedAt: string;
  }
>;

export type BedRequestEvent =
  BedRequestOpened | BedRequestReservationRecorded | BedRequestReservationEnded | BedRequestFulfilled | BedRequestClosed;

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export type OpenBedRequest = Command<'OpenBedRequest', BedRequestDetails>;
/** Step 2 of the reservation protocol: after the bed's own stream accepted the hold (see reservation-protocol.ts). */
export type RecordReservation = Command<'RecordReservation', RequestReservation & { requestId: string; expiresAt: string }>;
export type EndReservation = Command<'EndReservation', { requestId: string; reservationId: string; reason: ReservationEnding }>;
export type RecordDischargeToBed = Command<'RecordDischargeToBed', { requestId: string; dischargedAt: string }>;
export type CloseBedRequest = Command<'CloseBedRequest', { requestId: string; reason: RequestClosureReason }>;

export type BedRequestCommand = OpenBedRequest | RecordReservation | EndReservation | RecordDischargeToBed | CloseBedRequest;

// ─── State ──────────────────────────────────────────────────────────────────────────────────────────────

export interface BedRequestFacts extends BedRequestDetails {
  openedAt: string;
  reservation: (RequestReservation & { expiresAt: string }) | null;
  /** Reservations already ended on this request, so a late repeat decides nothing. */
  endedReservations: readonly string[];
}

export type BedRequest =
  | { status: 'none' }
  | (BedRequestFacts & { status: 'open' })
  | (BedRequestFacts & { status: 'fulfilled'; admittedTo: RequestReservation; admittedAt: string })
  | (BedRequestFacts & { status: 'closed'; reason: RequestClosureReason; closedAt: string });

export const initialBedRequest = (): BedRequest => ({ status: 'none' });

export const bedRequestStreamOf = (requestId: string): string => `bedRequest-${requestId}`;

export const evolveBedRequest = (state: BedRequest, event: BedRequestEvent): BedRequest => {
  if (event.type === 'BedRequestOpened') {
    const { openedAt, ...details } = event.data;
    return { status: 'open', ...details, openedAt, reservation: null, endedReservations: [] };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'BedRequestReservationRecorded': {
      const { bedId, reservationId, expiresAt } = event.data;
      return { ...state, reservation: { bedId, reservationId, expiresAt } };
    }
    case 'BedRequestReservationEnded':
      return { ...state, reservation: null, endedReservations: [...state.endedReservations, event.data.reservationId] };
    case 'BedRequestFulfilled': {
      const { bedId, reservationId, admittedAt } = event.data;
      return { ...state, status: 'fulfilled', reservation: null, admittedTo: { bedId, reservationId }, admittedAt };
    }
    case 'BedRequestClosed':
      return { ...state, status: 'closed', reservation: null, reason: event.data.reason, closedAt: event.data.closedAt };
    default:
      return assertNever(event);
  }
};

// ─── Decide ─────────────────────────────────────────────────────────────────────────────────────────────

const existing = (state: BedRequest) => {
  if (state.status === 'none') throw refuse('BED_REQUEST_NOT_FOUND', 'There is no such bed request', 'not_found');
  return state;
};

const open = (state: BedRequest) => {
  const found = existing(state);
  if (found.status === 'closed') {
    throw refuse('BED_REQUEST_CLOSED', `The bed request was closed (${found.reason})`, 'conflict', { reason: found.reason });
  }
  if (found.status === 'fulfilled') throw refuse('BED_REQUEST_FULFILLED', 'The person has already been admitted', 'conflict');
  return found;
};

const validateDetails = (rules: BedBaseRules, data: BedRequestDetails): void => {
  assertOneOf(REQUEST_ORIGINS, data.origin, 'origin');
  if (!BED_PATHWAYS.includes(data.pathway)) throw refuse('NOT_A_BEDDED_PATHWAY', 'A bed request is for pathway 2 or 3');
  if (!isCategoryOnPathway(data.pathway, data.bedCategory)) {
    throw refuse('CATEGORY_NOT_ON_PATHWAY', `${data.bedCategory} is not a pathway ${data.pathway} bed category`);
  }
  if (!rules.isKnownArea(data.area)) throw refuse('UNKNOWN_AREA', `Unknown area ${data.area}`);
  for (const capability of data.needs.capabilities) assertOneOf(BED_CAPABILITIES, capability, 'needs.capabilities');
};

export const decideBedRequest =
  (rules: BedBaseRules) =>
  (command: BedRequestCommand, state: BedRequest): BedRequestEvent[] => {
    const { actor, now } = command.metadata;
    switch (command.type) {
      case 'OpenBedRequest': {
        assertRole(actor, ['system', 'hub'], 'open a bed request');
        if (state.status !== 'none') throw refuse('BED_REQUEST_EXISTS', 'This bed request already exists', 'conflict');
        validateDetails(rules, command.data);
        const { requestId, caseId, origin, pathway, bedCategory, area, needs } = command.data;
        return [
          {
            type: 'BedRequestOpened',
            data: {
              requestId,
              caseId,
              origin,
              pathway,
              bedCategory,
              area,
              needs: {
                capabilities: [...needs.capabilities],
                sexForBayAllocation: needs.sexForBayAllocation,
                infectionIsolation: needs.infectionIsolation,
                endOfLife: needs.endOfLife,
                opmh: needs.opmh,
              },
              openedAt: now,
            },
          },
        ];
      }
      case 'RecordReservation': {
        assertRole(actor, ['hub'], 'reserve a bed');
        const { bedId, reservationId, expiresAt } = command.data;
        const found = existing(state);
        if (found.reservation?.reservationId === reservationId) return [];
        const request = open(found);
        if (request.reservation) {
          throw refuse(
            'REQUEST_ALREADY_HAS_RESERVATION',
            'This request already holds a bed: release it before reserving another',
            'conflict',
            { bedId: request.reservation.bedId, reservationId: request.reservation.reservationId },
          );
        }
        if (request.endedReservations.includes(reservationId)) {
          throw refuse('RESERVATION_ID_USED', 'This reservation has already ended: start a new one', 'conflict');
        }
        assertInstant(expiresAt, 'expiresAt');
        return [
          {
            type: 'BedRequestReservationRecorded',
            data: {
              requestId: request.requestId,
              caseId: request.caseId,
              origin: request.origin,
              bedId,
              reservationId,
              expiresAt,
              recordedAt: now,
            },
          },
        ];
      }
      case 'EndReservation': {
        assertRole(actor, ['hub', 'system'], 'end a reservation');
        const found = existing(state);
        assertOneOf(RESERVATION_ENDINGS, command.data.reason, 'reason');
        // Mirrors the bed: anything but the active reservation has ended already, or never was.
        if (found.reservation?.reservationId !== command.data.reservationId) return [];
        return [
          {
            type: 'BedRequestReservationEnded',
            data: {
              requestId: found.requestId,
              caseId: found.caseId,
              bedId: found.reservation.bedId,
              reservationId: found.reservation.reservationId,
              reason: command.data.reason,
              endedAt: now,
            },
          },
        ];
      }
      case 'RecordDischargeToBed': {
        assertRole(actor, ['system'], 'record a discharge into a bed');
        const found = existing(state);
        if (found.status === 'fulfilled') return [];
        const request = open(found);
        if (!request.reservation) {
          throw refuse(
            'NO_RESERVATION_TO_ADMIT',
            'The person was discharged to a bed but this request holds no reservation: reserve the bed they went to, then retry',
            'unprocessable',
            { requestId: request.requestId },
          );
        }
        assertInstant(command.data.dischargedAt, 'dischargedAt');
        const { bedId, reservationId } = request.reservation;
        return [
          {
            type: 'BedRequestFulfilled',
            data: {
              requestId: request.requestId,
              caseId: request.caseId,
              bedId,
              reservationId,
              admittedAt: command.data.dischargedAt,
            },
          },
        ];
      }
      case 'CloseBedRequest': {
        assertRole(actor, ['system', 'hub'], 'close a bed request');
        assertOneOf(REQUEST_CLOSURE_REASONS, command.data.reason, 'reason');
        const found = existing(state);
        // Closed already, or the person was admitted: nothing is left to release.
        if (found.status !== 'open') return [];
        const released = found.reservation
          ? { bedId: found.reservation.bedId, reservationId: found.reservation.reservationId }
          : null;
        return [
          {
            type: 'BedRequestClosed',
            data: {
              requestId: found.requestId,
              caseId: found.caseId,
              reason: command.data.reason,
              releasedReservation: released,
              closedAt: now,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  };

export const createBedRequestDecider = (rules: BedBaseRules): Decider<BedRequest, BedRequestCommand, BedRequestEvent> => ({
  initialState: initialBedRequest,
  evolve: evolveBedRequest,
  decide: decideBedRequest(rules),
});
