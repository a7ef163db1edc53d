import { assertNever, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';
import type { Pathway } from '@app/discharge';
import {
  assertInstant,
  assertRole,
  refuse,
  type BedCategory,
  type BedNeeds,
  type BedPathway,
  type RequestClosureReason,
} from './codes';

/**
 * The case → bed request index, one tiny stream per discharge case: `caseBedRequests-<caseId>`.
 *
 * Why: a process manager only sees the triggering event. A request's id is derived from the
 * PathwayAssigned event that raised it (so P2 → P1 → P2 opens a new request each time), but a
 * CaseWithdrawn or PatientDischarged carries only the caseId. Every discharge reaction therefore lands
 * here, keyed by caseId; this aggregate knows the case's open request (and the referral's area and
 * needs, which PathwayAssigned does not carry) and says which request to open, close or admit from.
 */

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export type CaseBedNeedsRecorded = DomainEvent<
  'CaseBedNeedsRecorded',
  { caseId: string; area: string; needs: BedNeeds; recordedAt: string }
>;
export type BedRequestRaised = DomainEvent<
  'BedRequestRaised',
  {
    caseId: string;
    requestId: string;
    pathway: BedPathway;
    bedCategory: BedCategory;
    area: string;
    needs: BedNeeds;
    raisedAt: string;
  }
>;
export type CaseBedRequestEnded = DomainEvent<
  'CaseBedRequestEnded',
  { caseId: string; requestId: string; reason: RequestClosureReason; endedAt: string }
>;
/** The case moved off a bedded pathway while no request was open (e.g. after meeting CTR again): no plan to renew. */
export type CaseBeddedPlanEnded = DomainEvent<'CaseBeddedPlanEnded', { caseId: string; endedAt: string }>;
/** Discharged on P2/P3 with a request open: the request is fulfilled and the bed records the admission. */
export type CaseDischargedToBed = DomainEvent<
  'CaseDischargedToBed',
  { caseId: string; requestId: string; pathway: BedPathway; dischargedAt: string }
>;

export type CaseBedRequestsEvent =
  CaseBedNeedsRecorded | BedRequestRaised | CaseBedRequestEnded | CaseBeddedPlanEnded | CaseDischargedToBed;

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export type RecordCaseBedNeeds = Command<'RecordCaseBedNeeds', { caseId: string; area: string; needs: BedNeeds }>;
export type RaiseBedRequest = Command<
  'RaiseBedRequest',
  { caseId: string; requestId: string; pathway: BedPathway; bedCategory: BedCategory }
>;
export type EndCaseBedRequest = Command<'EndCaseBedRequest', { caseId: string; reason: RequestClosureReason }>;
/**
 * A new NCTR period (CriteriaToResideNotMet) on a case whose plan is still P2/P3: its request was closed
 * when CTR was met again, so a new one is raised, its id derived from the CriteriaToResideNotMet event.
 */
export type RenewBedRequest = Command<'RenewBedRequest', { caseId: string; requestId: string }>;
export type NoteCaseDischarge = Command<'NoteCaseDischarge', { caseId: string; pathway: Pathway; dischargedAt: string }>;

export type CaseBedRequestsCommand =
  RecordCaseBedNeeds | RaiseBedRequest | EndCaseBedRequest | RenewBedRequest | NoteCaseDischarge;

// ─── State ──────────────────────────────────────────────────────────────────────────────────────────────

export type CaseBedRequests =
  | { status: 'none' }
  | {
      status: 'noted';
      caseId: string;
      area: string;
      needs: BedNeeds;
      open: { requestId: string; pathway: BedPathway } | null;
      /** The case's last bedded plan, kept after CTR is met again and cleared when the pathway moves off P2/P3. */
      plan: { pathway: BedPathway; bedCategory: BedCategory } | null;
      /** Every request ever raised for the case, so a redelivered PathwayAssigned raises nothing. */
      raised: readonly string[];
      discharged: boolean;
    };

export const initialCaseBedRequests = (): CaseBedRequests => ({ status: 'none' });

export const caseBedRequestsStreamOf = (caseId: string): string => `caseBedRequests-${caseId}`;

export const evolveCaseBedRequests = (state: CaseBedRequests, event: CaseBedRequestsEvent): CaseBedRequests => {
  if (event.type === 'CaseBedNeedsRecorded') {
    const { caseId, area, needs } = event.data;
    return { status: 'noted', caseId, area, needs, open: null, plan: null, raised: [], discharged: false };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'BedRequestRaised':
      return {
        ...state,
        open: { requestId: event.data.requestId, pathway: event.data.pathway },
        plan: { pathway: event.data.pathway, bedCategory: event.data.bedCategory },
        raised: [...state.raised, event.data.requestId],
      };
    case 'CaseBedRequestEnded':
      // A change to P2/P3 is followed at once by BedRequestRaised, which sets the plan again.
      return { ...state, open: null, plan: event.data.reason === 'pathway-changed' ? null : state.plan };
    case 'CaseBeddedPlanEnded':
      return { ...state, plan: null };
    case 'CaseDischargedToBed':
      return { ...state, open: null, discharged: true };
    default:
      return assertNever(event);
  }
};

// ─── Decide ─────────────────────────────────────────────────────────────────────────────────────────────

const ended = (caseId: string, requestId: string, reason: RequestClosureReason, at: string): CaseBedRequestEnded => ({
  type: 'CaseBedRequestEnded',
  data: { caseId, requestId, reason, endedAt: at },
});

export const decideCaseBedRequests = (command: CaseBedRequestsCommand, state: CaseBedRequests): CaseBedRequestsEvent[] => {
  const { actor, now } = command.metadata;
  assertRole(actor, ['system'], 'act on the case → bed request index');
  switch (command.type) {
    case 'RecordCaseBedNeeds': {
      if (state.status !== 'none') return [];
      const { caseId, area, needs } = command.data;
      return [{ type: 'CaseBedNeedsRecorded', data: { caseId, area, needs, recordedAt: now } }];
    }
    case 'RaiseBedRequest': {
      if (state.status === 'none') {
        throw refuse(
          'CASE_NOT_NOTED',
          'No referral has been noted for this case, so its area and needs are unknown',
          'not_found',
        );
      }
      const { requestId, pathway, bedCategory } = command.data;
      if (state.raised.includes(requestId)) return [];
      if (state.discharged) throw refuse('CASE_DISCHARGED', 'The case has been discharged', 'conflict');
      return [
        // A change between bedded pathways (or bed categories) closes the old request and opens a new one.
        ...(state.open ? [ended(state.caseId, state.open.requestId, 'pathway-changed', now)] : []),
        {
          type: 'BedRequestRaised',
          data: { caseId: state.caseId, requestId, pathway, bedCategory, area: state.area, needs: state.needs, raisedAt: now },
        },
      ];
    }
    case 'EndCaseBedRequest': {
      if (state.status === 'none') return [];
      if (!state.open) {
        return command.data.reason === 'pathway-changed' && state.plan
          ? [{ type: 'CaseBeddedPlanEnded', data: { caseId: state.caseId, endedAt: now } }]
          : [];
      }
      return [ended(state.caseId, state.open.requestId, command.data.reason, now)];
    }
    case 'RenewBedRequest': {
      // Not a bedded case, a request still open, already renewed from this event, or gone home: nothing to do.
      if (state.status === 'none' || !state.plan || state.open || state.discharged) return [];
      if (state.raised.includes(command.data.requestId)) return [];
      const { pathway, bedCategory } = state.plan;
      return [
        {
          type: 'BedRequestRaised',
          data: {
            caseId: state.caseId,
            requestId: command.data.requestId,
            pathway,
            bedCategory,
            area: state.area,
            needs: state.needs,
            raisedAt: now,
          },
        },
      ];
    }
    case 'NoteCaseDischarge': {
      const { pathway, dischargedAt } = command.data;
      if (pathway !== 2 && pathway !== 3) {
        if (state.status === 'none' || !state.open) return [];
        return [ended(state.caseId, state.open.requestId, 'discharged-elsewhere', now)];
      }
      if (state.status === 'noted' && state.discharged) return [];
      if (state.status === 'none' || !state.open) {
        throw refuse(
          'NO_OPEN_BED_REQUEST',
          `The case was discharged on pathway ${pathway} but has no open bed request: the admission cannot be recorded`,
          'unprocessable',
          { pathway },
        );
      }
      assertInstant(dischargedAt, 'dischargedAt');
      return [
        { type: 'CaseDischargedToBed', data: { caseId: state.caseId, requestId: state.open.requestId, pathway, dischargedAt } },
      ];
    }
    default:
      return assertNever(command);
  }
};

export const caseBedRequestsDecider: Decider<CaseBedRequests, CaseBedRequestsCommand, CaseBedRequestsEvent> = {
  initialState: initialCaseBedRequests,
  evolve: evolveCaseBedRequests,
  decide: decideCaseBedRequests,
};
