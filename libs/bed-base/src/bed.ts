import { assertNever, type Actor, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';
import { londonDate, londonDaysBetween } from '@app/time';
import {
  assertInstant,
  assertOneOf,
  assertRole,
  BAY_SEXES,
  BED_CAPABILITIES,
  BED_CLOSURE_REASONS,
  BED_PATHWAYS,
  CONFIGURERS,
  FUNDING_TYPES,
  isCategoryOnPathway,
  LEAVING_OUTCOMES,
  refuse,
  RELEASE_REASONS,
  type BaySex,
  type BedBaseRules,
  type BedCapability,
  type BedCategory,
  type BedClosureReason,
  type BedPathway,
  type Funding,
  type LeavingOutcome,
  type ReleaseReason,
} from './codes';

/** The longest a bed may be held for a person before it is used or let go. */
export const MAX_RESERVATION_HOURS = 72;

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export interface BedSpecification {
  bedId: string;
  siteId: string;
  /** What the hub calls it, e.g. "Frome CH, Bay 2 bed 4". No personal data. */
  label: string;
  pathway: BedPathway;
  category: BedCategory;
  capabilities: readonly BedCapability[];
  baySex: BaySex;
  funding: Funding;
  /** Place in the hierarchy of use (reference data): 1 is used first. */
  tier: number;
  /** A winter escalation bed: commissioned stood down, opened and stood down as pressure demands. */
  escalation: boolean;
}

/** Who holds a bed: the request and the reservation, never the person. */
export interface BedHolder {
  requestId: string;
  reservationId: string;
  caseId: string;
}

export type BedCommissioned = DomainEvent<'BedCommissioned', BedSpecification & { commissionedAt: string }>;
export type BedDecommissioned = DomainEvent<'BedDecommissioned', { bedId: string; siteId: string; decommissionedAt: string }>;
export type BedClosed = DomainEvent<'BedClosed', { bedId: string; siteId: string; reason: BedClosureReason; closedAt: string }>;
export type BedReopened = DomainEvent<
  'BedReopened',
  { bedId: string; siteId: string; closedFor: BedClosureReason; closedAt: string; reopenedAt: string }
>;
export type EscalationBedOpened = DomainEvent<'EscalationBedOpened', { bedId: string; siteId: string; openedAt: string }>;
export type EscalationBedStoodDown = DomainEvent<
  'EscalationBedStoodDown',
  { bedId: string; siteId: string; stoodDownAt: string }
>;
export type BedReserved = DomainEvent<
  'BedReserved',
  BedHolder & { bedId: string; siteId: string; reservedAt: string; expiresAt: string }
>;
export type BedReservationReleased = DomainEvent<
  'BedReservationReleased',
  BedHolder & { bedId: string; siteId: string; reason: ReleaseReason; releasedAt: string }
>;
export type BedReservationExpired = DomainEvent<
  'BedReservationExpired',
  BedHolder & { bedId: string; siteId: string; expiresAt: string; expiredAt: string }
>;
export type PatientAdmitted = DomainEvent<'PatientAdmitted', BedHolder & { bedId: string; siteId: string; admittedAt: string }>;
export type PatientLeftBed = DomainEvent<
  'PatientLeftBed',
  BedHolder & {
    bedId: string;
    siteId: string;
    outcome: LeavingOutcome;
    admittedAt: string;
    leftAt: string;
    /** London calendar days from admission to leaving (long stays are 21+). */
    lengthOfStayDays: number;
  }
>;

export type BedEvent =
  | BedCommissioned
  | BedDecommissioned
  | BedClosed
  | BedReopened
  | EscalationBedOpened
  | EscalationBedStoodDown
  | BedReserved
  | BedReservationReleased
  | BedReservationExpired
  | PatientAdmitted
  | PatientLeftBed;

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export type CommissionBed = Command<
  'CommissionBed',
  Omit<BedSpecification, 'label' | 'escalation'> & { label?: string; escalation?: boolean }
>;
export type DecommissionBed = Command<'DecommissionBed', { bedId: string }>;
export type CloseBed = Command<'CloseBed', { bedId: string; reason: BedClosureReason }>;
export type ReopenBed = Command<'ReopenBed', { bedId: string }>;
export type OpenEscalationBed = Command<'OpenEscalationBed', { bedId: string }>;
export type StandDownEscalationBed = Command<'StandDownEscalationBed', { bedId: string }>;
export type ReserveBed = Command<'ReserveBed', BedHolder & { bedId: string; expiresAt: string }>;
export type ReleaseBed = Command<'ReleaseBed', { bedId: string; reservationId: string; reason: ReleaseReason }>;
/** Fired by the reservation deadline (see `reservationExpiryRule`). */
export type ExpireBedReservation = Command<'ExpireBedReservation', { bedId: string; reservationId: string }>;
/** From the case's discharge, which is authoritative (see process-managers.ts). */
export type AdmitPatient = Command<'AdmitPatient', BedHolder & { bedId: string; admittedAt: string }>;
export type RecordPatientLeftBed = Command<'RecordPatientLeftBed', { bedId: string; outcome: LeavingOutcome }>;

export type BedCommand =
  | CommissionBed
  | DecommissionBed
  | CloseBed
  | ReopenBed
  | OpenEscalationBed
  | StandDownEscalationBed
  | ReserveBed
  | ReleaseBed
  | ExpireBedReservation
  | AdmitPatient
  | RecordPatientLeftBed;

// ─── State ──────────────────────────────────────────────────────────────────────────────────────────────

export interface BedFacts extends BedSpecification {
  escalationOpen: boolean;
  closure: { reason: BedClosureReason; since: string } | null;
  holder: (BedHolder & { reservedAt: string; expiresAt: string }) | null;
  occupant: (BedHolder & { admittedAt: string }) | null;
  /** Reservations that ended here (released, expired or taken up), so a late repeat decides nothing. */
  endedReservations: readonly string[];
}

export type Bed = { status: 'none' } | (BedFacts & { status: 'in-service' }) | (BedFacts & { status: 'decommissioned' });
export type CommissionedBed = Exclude<Bed, { status: 'none' }>;

export const initialBed = (): Bed => ({ status: 'none' });

export const bedStreamOf = (bedId: string): string => `bed-${bedId}`;

const ended = (state: CommissionedBed, reservationId: string): CommissionedBed => ({
  ...state,
  holder: null,
  endedReservations: [...state.endedReservations, reservationId],
});

export const evolveBed = (state: Bed, event: BedEvent): Bed => {
  if (event.type === 'BedCommissioned') {
    const { commissionedAt: _at, ...specification } = event.data;
    return {
      status: 'in-service',
      ...specification,
      escalationOpen: false,
      closure: null,
      holder: null,
      occupant: null,
      endedReservations: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'BedDecommissioned':
      return { ...state, status: 'decommissioned' };
    case 'BedClosed':
      return { ...state, closure: { reason: event.data.reason, since: event.data.closedAt } };
    case 'BedReopened':
      return { ...state, closure: null };
    case 'EscalationBedOpened':
      return { ...state, escalationOpen: true };
    case 'EscalationBedStoodDown':
      return { ...state, escalationOpen: false };
    case 'BedReserved': {
      const { requestId, reservationId, caseId, reservedAt, expiresAt } = event.data;
      return { ...state, holder: { requestId, reservationId, caseId, reservedAt, expiresAt } };
    }
    case 'BedReservationReleased':
    case 'BedReservationExpired':
      return ended(state, event.data.reservationId);
    case 'PatientAdmitted': {
      const { requestId, reservationId, caseId, admittedAt } = event.data;
      return { ...ended(state, reservationId), occupant: { requestId, reservationId, caseId, admittedAt } };
    }
    case 'PatientLeftBed':
      return { ...state, occupant: null };
    default:
      return assertNever(event);
  }
};

/** Open for admissions as far as the bed itself knows; the site's closure is the site's own fact. */
export const isBedOpen = (bed: CommissionedBed): boolean =>
  bed.status === 'in-service' && bed.closure === null && (!bed.escalation || bed.escalationOpen);

// ─── Decide ─────────────────────────────────────────────────────────────────────────────────────────────

const commissioned = (state: Bed): CommissionedBed => {
  if (state.status === 'none') throw refuse('BED_NOT_FOUND', 'There is no such bed', 'not_found');
  return state;
};

const inService = (state: Bed): Extract<Bed, { status: 'in-service' }> => {
  const bed = commissioned(state);
  if (bed.status === 'decommissioned') throw refuse('BED_DECOMMISSIONED', 'The bed has been decommissioned', 'conflict');
  return bed;
};

const assertNotInUse = (bed: CommissionedBed, what: string): void => {
  if (bed.occupant)
    throw refuse('BED_OCCUPIED', `The bed is occupied: record the patient leaving before you ${what}`, 'conflict');
  if (bed.holder) {
    throw refuse('BED_RESERVED', `The bed is reserved: release the reservation before you ${what}`, 'conflict', {
      requestId: bed.holder.requestId,
    });
  }
};

const bedRef = (bed: CommissionedBed) => ({ bedId: bed.bedId, siteId: bed.siteId });

const hoursBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

const validateSpecification = (rules: BedBaseRules, data: CommissionBed['data']): void => {
  if (!BED_PATHWAYS.includes(data.pathway)) throw refuse('NOT_A_BEDDED_PATHWAY', 'A bed is on pathway 2 or 3');
  if (!isCategoryOnPathway(data.pathway, data.category)) {
    throw refuse('CATEGORY_NOT_ON_PATHWAY', `A ${data.category} bed is not a pathway ${data.pathway} bed`, 'unprocessable', {
      pathway: data.pathway,
      category: data.category,
    });
  }
  for (const capability of data.capabilities) assertOneOf(BED_CAPABILITIES, capability, 'capabilities');
  if (new Set(data.capabilities).size !== data.capabilities.length) {
    throw refuse('DUPLICATE_CAPABILITY', 'Each capability is listed once');
  }
  assertOneOf(BAY_SEXES, data.baySex, 'baySex');
  assertOneOf(FUNDING_TYPES, data.funding, 'funding');
  if (!Number.isInteger(data.tier) || !rules.isKnownTier(data.tier)) {
    throw refuse('UNKNOWN_TIER', `Tier ${data.tier} is not in the hierarchy of use`);
  }
  if ((data.baySex === 'single-room') !== data.capabilities.includes('side-room')) {
    throw refuse('SIDE_ROOM_MISMATCH', 'A side room is a single room: give it bay sex single-room and the side-room capability');
  }
};

const assertMayHold = (actor: Actor) => assertRole(actor, ['hub'], 'reserve a bed');

export const decideBed =
  (rules: BedBaseRules) =>
  (command: BedCommand, state: Bed): BedEvent[] => {
    const { actor, now } = command.metadata;
    switch (command.type) {
      case 'CommissionBed': {
        assertRole(actor, CONFIGURERS, 'commission a bed');
        if (state.status !== 'none') throw refuse('BED_EXISTS', 'This bed is already commissioned', 'conflict');
        validateSpecification(rules, command.data);
        const { bedId, siteId, pathway, category, capabilities, baySex, funding, tier } = command.data;
        return [
          {
            type: 'BedCommissioned',
            data: {
              bedId,
              siteId,
              label: command.data.label ?? bedId,
              pathway,
              category,
              capabilities: [...capabilities],
              baySex,
              funding,
              tier,
              escalation: command.data.escalation ?? false,
              commissionedAt: now,
            },
          },
        ];
      }
      case 'DecommissionBed': {
        assertRole(actor, CONFIGURERS, 'decommission a bed');
        const bed = inService(state);
        assertNotInUse(bed, 'decommission it');
        return [{ type: 'BedDecommissioned', data: { ...bedRef(bed), decommissionedAt: now } }];
      }
      case 'CloseBed': {
        assertRole(actor, CONFIGURERS, 'close a bed');
        const bed = inService(state);
        assertOneOf(BED_CLOSURE_REASONS, command.data.reason, 'reason');
        if (bed.closure) {
          throw refuse(
            'BED_ALREADY_CLOSED',
            `The bed has been closed (${bed.closure.reason}) since ${bed.closure.since}`,
            'conflict',
          );
        }
        assertNotInUse(bed, 'close it');
        return [{ type: 'BedClosed', data: { ...bedRef(bed), reason: command.data.reason, closedAt: now } }];
      }
      case 'ReopenBed': {
        assertRole(actor, CONFIGURERS, 'reopen a bed');
        const bed = inService(state);
        if (!bed.closure) throw refuse('BED_NOT_CLOSED', 'The bed is not closed', 'conflict');
        return [
          {
            type: 'BedReopened',
            data: { ...bedRef(bed), closedFor: bed.closure.reason, closedAt: bed.closure.since, reopenedAt: now },
          },
        ];
      }
      case 'OpenEscalationBed':
      case 'StandDownEscalationBed': {
        assertRole(actor, CONFIGURERS, 'open or stand down an escalation bed');
        const bed = inService(state);
        if (!bed.escalation) throw refuse('NOT_AN_ESCALATION_BED', 'Only a winter escalation bed is opened and stood down');
        if (command.type === 'OpenEscalationBed') {
          if (bed.escalationOpen) throw refuse('ESCALATION_BED_ALREADY_OPEN', 'The escalation bed is already open', 'conflict');
          return [{ type: 'EscalationBedOpened', data: { ...bedRef(bed), openedAt: now } }];
        }
        if (!bed.escalationOpen) {
          throw refuse('ESCALATION_BED_ALREADY_STOOD_DOWN', 'The escalation bed is already stood down', 'conflict');
        }
        assertNotInUse(bed, 'stand it down');
        return [{ type: 'EscalationBedStoodDown', data: { ...bedRef(bed), stoodDownAt: now } }];
      }
      case 'ReserveBed': {
        assertMayHold(actor);
        const { requestId, reservationId, caseId, expiresAt } = command.data;
        const bed = inService(state);
        if (bed.holder?.reservationId === reservationId) return [];
        if (bed.endedReservations.includes(reservationId) || bed.occupant?.reservationId === reservationId) {
          throw refuse('RESERVATION_ID_USED', 'This reservation has already ended: start a new one', 'conflict');
        }
        if (bed.occupant) throw refuse('BED_OCCUPIED', 'The bed is occupied', 'conflict');
        if (bed.holder) {
          throw refuse('BED_ALREADY_RESERVED', 'The bed is already reserved for another request', 'conflict', {
            heldUntil: bed.holder.expiresAt,
          });
        }
        if (bed.closure) throw refuse('BED_CLOSED', `The bed is closed (${bed.closure.reason})`, 'conflict');
        if (bed.escalation && !bed.escalationOpen) {
          throw refuse('ESCALATION_BED_STOOD_DOWN', 'The winter escalation bed is stood down', 'conflict');
        }
        assertInstant(expiresAt, 'expiresAt');
        const hours = hoursBetween(now, expiresAt);
        if (hours <= 0) throw refuse('EXPIRY_NOT_IN_FUTURE', 'A reservation must expire after it is made');
        if (hours > MAX_RESERVATION_HOURS) {
          throw refuse('RESERVATION_TOO_LONG', `A bed is held for at most ${MAX_RESERVATION_HOURS} hours`);
        }
        return [
          {
            type: 'BedReserved',
            data: { ...bedRef(bed), requestId, reservationId, caseId, reservedAt: now, expiresAt },
          },
        ];
      }
      case 'ReleaseBed': {
        assertRole(actor, ['hub', 'system'], 'release a bed reservation');
        const bed = commissioned(state);
        const { reservationId, reason } = command.data;
        assertOneOf(RELEASE_REASONS, reason, 'reason');
        if (bed.holder?.reservationId !== reservationId) {
          // Released, expired or taken up already: a repeat (or a compensation that lost a race) is a no-op.
          if (bed.endedReservations.includes(reservationId)) return [];
          throw refuse('RESERVATION_NOT_FOUND', 'This bed holds no such reservation', 'not_found');
        }
        const { requestId, caseId } = bed.holder;
        return [
          { type: 'BedReservationReleased', data: { ...bedRef(bed), requestId, reservationId, caseId, reason, releasedAt: now } },
        ];
      }
      case 'ExpireBedReservation': {
        assertRole(actor, ['system'], 'expire a reservation');
        const bed = commissioned(state);
        const holder = bed.holder;
        // Late or repeated: the reservation was already released, expired or taken up.
        if (holder?.reservationId !== command.data.reservationId) return [];
        if (Date.parse(now) < Date.parse(holder.expiresAt)) {
          throw refuse('RESERVATION_NOT_YET_EXPIRED', `The reservation runs until ${holder.expiresAt}`, 'conflict');
        }
        const { requestId, reservationId, caseId, expiresAt } = holder;
        return [
          {
            type: 'BedReservationExpired',
            data: { ...bedRef(bed), requestId, reservationId, caseId, expiresAt, expiredAt: now },
          },
        ];
      }
      case 'AdmitPatient': {
        assertRole(actor, ['system'], 'record an admission (it follows from the discharge)');
        const bed = commissioned(state);
        const { requestId, reservationId, caseId, admittedAt } = command.data;
        if (bed.occupant?.reservationId === reservationId) return [];
        if (bed.holder?.reservationId !== reservationId) {
          throw refuse(
            'RESERVATION_NOT_HELD',
            'The bed is not reserved for this admission: it was released, expired or never held',
            'conflict',
            {
              reservationId,
            },
          );
        }
        assertInstant(admittedAt, 'admittedAt');
        return [{ type: 'PatientAdmitted', data: { ...bedRef(bed), requestId, reservationId, caseId, admittedAt } }];
      }
      case 'RecordPatientLeftBed': {
        assertRole(actor, ['hub', 'system'], 'record a patient leaving a bed');
        const bed = commissioned(state);
        assertOneOf(LEAVING_OUTCOMES, command.data.outcome, 'outcome');
        if (!bed.occupant) throw refuse('BED_NOT_OCCUPIED', 'Nobody is in this bed', 'conflict');
        const { requestId, reservationId, caseId, admittedAt } = bed.occupant;
        return [
          {
            type: 'PatientLeftBed',
            data: {
              ...bedRef(bed),
              requestId,
              reservationId,
              caseId,
              outcome: command.data.outcome,
              admittedAt,
              leftAt: now,
              lengthOfStayDays: londonDaysBetween(londonDate(admittedAt), londonDate(now)),
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  };

export const createBedDecider = (rules: BedBaseRules): Decider<Bed, BedCommand, BedEvent> => ({
  initialState: initialBed,
  evolve: evolveBed,
  decide: decideBed(rules),
});
