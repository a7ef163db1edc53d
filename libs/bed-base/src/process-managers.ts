import type { Command } from '@app/event-sourcing';
import type {
  ArrangePlacement,
  CaseWithdrawn,
  CriteriaToResideMetAgain,
  CriteriaToResideNotMet,
  PathwayAssigned,
  PatientDischarged,
  ReferralSubmitted,
} from '@app/discharge';
import { topicFor, type BusEvent } from '@app/messaging/bus';
import { derivedId, reactionTo, type ProcessManager } from '@app/messaging/process-manager';
import type { AdmitPatient, BedEvent, ReleaseBed } from './bed';
import type { BedRequestEvent, CloseBedRequest, EndReservation, OpenBedRequest, RecordDischargeToBed } from './bed-request';
import type {
  CaseBedRequestsEvent,
  EndCaseBedRequest,
  NoteCaseDischarge,
  RecordCaseBedNeeds,
  RaiseBedRequest,
  RenewBedRequest,
} from './case-bed-requests';
import { bedNeedsFromReferral, type BedPathway } from './codes';

/**
 * Two process managers, both pure: each sees only the triggering event.
 *
 * `bed-base-discharge` turns the case's events into commands on the case's index stream
 * (`caseBedRequests-<caseId>`, see case-bed-requests.ts): every discharge event carries the caseId, and
 * the index knows which request is open.
 *
 * `bed-base-requests` reads bed-base's own topic and carries each fact to the next aggregate:
 * index → request (open, close, discharged), request → bed (admit, release), bed → request (expired or
 * released), and request → case (PlacementArranged).
 *
 * Admission authority: the case's PatientDischarged on P2/P3 is authoritative. The person's leaving
 * hospital is the one moment both sides share, and the discharge context already records it with its
 * destination, DRD and delay; the bed base records PatientAdmitted from it, and never the reverse, so
 * there is one source and no loop. A discharge on P0/P1 closes the request (discharged elsewhere).
 */

export const DISCHARGE_PM = 'bed-base-discharge';
export const REQUESTS_PM = 'bed-base-requests';

const isBedded = (pathway: number | null): pathway is BedPathway => pathway === 2 || pathway === 3;

type DischargeEvent =
  ReferralSubmitted | PathwayAssigned | CaseWithdrawn | CriteriaToResideNotMet | CriteriaToResideMetAgain | PatientDischarged;

/**
 * A request's id: derived from the event that raised it (a PathwayAssigned, or a CriteriaToResideNotMet
 * that starts a new NCTR period on a bedded plan), so each raises its own.
 */
export const bedRequestIdFor = (raisingEvent: BusEvent): string => derivedId(DISCHARGE_PM, raisingEvent, 'bed-request');

export const reactToDischarge = (event: BusEvent): Command[] => {
  const known = event as unknown as BusEvent & DischargeEvent;
  switch (known.type) {
    case 'ReferralSubmitted': {
      const { caseId, area, needs } = known.data;
      return [
        reactionTo<RecordCaseBedNeeds>(DISCHARGE_PM, event, 0, 'RecordCaseBedNeeds', {
          caseId,
          area,
          needs: bedNeedsFromReferral(needs),
        }),
      ];
    }
    case 'PathwayAssigned': {
      const { caseId, pathway, bedCategory, previousPathway } = known.data;
      if (isBedded(pathway) && bedCategory) {
        return [
          reactionTo<RaiseBedRequest>(DISCHARGE_PM, event, 0, 'RaiseBedRequest', {
            caseId,
            requestId: bedRequestIdFor(event),
            pathway,
            bedCategory,
          }),
        ];
      }
      if (isBedded(previousPathway)) {
        return [
          reactionTo<EndCaseBedRequest>(DISCHARGE_PM, event, 0, 'EndCaseBedRequest', { caseId, reason: 'pathway-changed' }),
        ];
      }
      return [];
    }
    case 'CaseWithdrawn':
      return isBedded(known.data.pathway)
        ? [
            reactionTo<EndCaseBedRequest>(DISCHARGE_PM, event, 0, 'EndCaseBedRequest', {
              caseId: known.data.caseId,
              reason: known.data.reason === 'died' ? 'patient-died' : 'case-withdrawn',
            }),
          ]
        : [];
    case 'CriteriaToResideNotMet':
      // A new NCTR period: the index raises a new request if the plan is still P2/P3 and none is open.
      return [
        reactionTo<RenewBedRequest>(DISCHARGE_PM, event, 0, 'RenewBedRequest', {
          caseId: known.data.caseId,
          requestId: bedRequestIdFor(event),
        }),
      ];
    case 'CriteriaToResideMetAgain':
      return [
        reactionTo<EndCaseBedRequest>(DISCHARGE_PM, event, 0, 'EndCaseBedRequest', {
          caseId: known.data.caseId,
          reason: 'criteria-to-reside-met-again',
        }),
      ];
    case 'PatientDischarged': {
      const { caseId, pathway, dischargedAt } = known.data;
      return [reactionTo<NoteCaseDischarge>(DISCHARGE_PM, event, 0, 'NoteCaseDischarge', { caseId, pathway, dischargedAt })];
    }
    default:
      return [];
  }
};

export const reactToBedBase = (event: BusEvent): Command[] => {
  const known = event as unknown as BusEvent & (CaseBedRequestsEvent | BedRequestEvent | BedEvent);
  const react = <C extends Command>(type: C['type'], data: C['data']): Command[] => [
    reactionTo<C>(REQUESTS_PM, event, 0, type, data),
  ];
  switch (known.type) {
    case 'BedRequestRaised': {
      const { caseId, requestId, pathway, bedCategory, area, needs } = known.data;
      return react<OpenBedRequest>('OpenBedRequest', {
        requestId,
        caseId,
        origin: 'hospital-discharge',
        pathway,
        bedCategory,
        area,
        needs,
      });
    }
    case 'CaseBedRequestEnded':
      return react<CloseBedRequest>('CloseBedRequest', { requestId: known.data.requestId, reason: known.data.reason });
    case 'CaseDischargedToBed':
      return react<RecordDischargeToBed>('RecordDischargeToBed', {
        requestId: known.data.requestId,
        dischargedAt: known.data.dischargedAt,
      });
    case 'BedRequestFulfilled': {
      const { bedId, requestId, reservationId, caseId, admittedAt } = known.data;
      return react<AdmitPatient>('AdmitPatient', { bedId, requestId, reservationId, caseId, admittedAt });
    }
    case 'BedRequestClosed': {
      const released = known.data.releasedReservation;
      return released
        ? react<ReleaseBed>('ReleaseBed', {
            bedId: released.bedId,
            reservationId: released.reservationId,
            reason: 'request-closed',
          })
        : [];
    }
    case 'BedRequestReservationRecorded':
      // The request's record, not the bed's hold, is the confirmed reservation: a hold whose step 2 was
      // refused is given back and must not arrange a placement.
      return known.data.origin === 'hospital-discharge'
        ? react<ArrangePlacement>('ArrangePlacement', {
            caseId: known.data.caseId,
            source: 'bed-reservation',
            sourceId: known.data.reservationId,
          })
        : [];
    case 'BedReservationExpired':
      return react<EndReservation>('EndReservation', {
        requestId: known.data.requestId,
        reservationId: known.data.reservationId,
        reason: 'expired',
      });
    case 'BedReservationReleased':
      // Released by the hub on the bed: mirror it (a no-op when releaseSteps already did). A release that
      // follows the request's closure or a refused step 2 has nothing to mirror.
      return known.data.reason === 'released-by-hub'
        ? react<EndReservation>('EndReservation', {
            requestId: known.data.requestId,
            reservationId: known.data.reservationId,
            reason: 'released',
          })
        : [];
    default:
      return [];
  }
};

export const bedBaseDischargeProcessManager: ProcessManager = {
  name: DISCHARGE_PM,
  topics: [topicFor('discharge')],
  react: reactToDischarge,
};

export const bedBaseRequestsProcessManager: ProcessManager = {
  name: REQUESTS_PM,
  topics: [topicFor('bed-base')],
  react: reactToBedBase,
};

export const bedBaseProcessManagers: readonly ProcessManager[] = [bedBaseDischargeProcessManager, bedBaseRequestsProcessManager];
