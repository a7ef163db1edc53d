import { deterministicUuid, type Command } from '@app/event-sourcing';
import { reactionTo, topicFor, type BusEvent, type ProcessManager } from '@app/messaging';
import type {
  ArrangePlacement,
  CaseWithdrawn,
  CriteriaToResideMetAgain,
  PathwayAssigned,
  PatientDischarged,
  ReferralSubmitted,
} from '@app/discharge';
import type { HomeCareCaseEvent, LinkCasePackage, NoteCaseReferral, ReleaseCasePackage } from './home-care-case';
import type { CancellationReason, CancelPackageRequest, HomeCarePackageEvent, RequestPackage } from './home-care-package';
import { ledgerFollowUpsFor } from './ledger-effects';

export const HOME_CARE_TOPIC = topicFor('home-care');

/** `homeCarePackage-<packageId>`: one package per P1-with-home-care assignment, so P1 → P2 → P1 gets a new one. */
export const packageIdFor = (caseId: string, pathwayAssignedEventId: string): string =>
  deterministicUuid(`package:${caseId}:${pathwayAssignedEventId}`);

type DischargeEvent = ReferralSubmitted | PathwayAssigned | CaseWithdrawn | CriteriaToResideMetAgain | PatientDischarged;

const DISCHARGE_PM = 'home-care-discharge';

/**
 * Discharge → home care. Requests go through the case's register (`homeCareCase-<caseId>`), which knows the
 * referral's area and hours and the case's live package; compensations release "the case's package" there.
 */
export const homeCareDischargeProcessManager: ProcessManager = {
  name: DISCHARGE_PM,
  topics: [topicFor('discharge')],
  react: (busEvent: BusEvent): Command[] => {
    const event = busEvent as unknown as BusEvent & DischargeEvent;
    const release = (caseId: string, reason: CancellationReason) => [
      reactionTo<ReleaseCasePackage>(DISCHARGE_PM, busEvent, 0, 'ReleaseCasePackage', { caseId, reason }),
    ];
    switch (event.type) {
      case 'ReferralSubmitted':
        return [
          reactionTo<NoteCaseReferral>(DISCHARGE_PM, busEvent, 0, 'NoteCaseReferral', {
            caseId: event.data.caseId,
            area: event.data.area,
            careHoursPerWeek: event.data.needs.careHoursPerWeek,
          }),
        ];
      case 'PathwayAssigned': {
        const { caseId, pathway, homeCareNeeded, previous } = event.data;
        if (pathway === 1 && homeCareNeeded === true) {
          return [
            reactionTo<LinkCasePackage>(DISCHARGE_PM, busEvent, 0, 'LinkCasePackage', {
              caseId,
              packageId: packageIdFor(caseId, busEvent.id),
            }),
          ];
        }
        if (previous?.pathway === 1 && previous.homeCareNeeded === true) {
          return release(caseId, pathway === 1 ? 'home-care-no-longer-needed' : 'pathway-changed');
        }
        return [];
      }
      case 'CaseWithdrawn':
        return release(event.data.caseId, event.data.reason === 'died' ? 'patient-died' : 'case-withdrawn');
      case 'CriteriaToResideMetAgain':
        return release(event.data.caseId, 'criteria-to-reside-met-again');
      case 'PatientDischarged':
        if (event.data.pathway === 1 && event.data.homeCareNeeded === true) return [];
        return release(
          event.data.caseId,
          event.data.pathway === 1 ? 'home-care-no-longer-needed' : 'discharged-on-another-pathway',
        );
      default:
        return [];
    }
  },
};

const PACKAGES_PM = 'home-care-packages';

/**
 * Home care's own events → the next step: the register's link requests the package and its release cancels
 * it; package events move hours on the ledgers; an acceptance arranges the case's placement.
 */
export const homeCarePackagesProcessManager: ProcessManager = {
  name: PACKAGES_PM,
  topics: [HOME_CARE_TOPIC],
  react: (busEvent: BusEvent): Command[] => {
    const event = busEvent as unknown as BusEvent & (HomeCareCaseEvent | HomeCarePackageEvent);
    switch (event.type) {
      case 'CasePackageLinked':
        return [
          reactionTo<RequestPackage>(PACKAGES_PM, busEvent, 0, 'RequestPackage', {
            packageId: event.data.packageId,
            origin: 'hospital-discharge',
            caseId: event.data.caseId,
            area: event.data.area,
            hoursPerWeek: event.data.hoursPerWeek,
          }),
        ];
      case 'CasePackageReleased':
        return [
          reactionTo<CancelPackageRequest>(PACKAGES_PM, busEvent, 0, 'CancelPackageRequest', {
            packageId: event.data.packageId,
            reason: event.data.reason,
          }),
        ];
      case 'PackageAccepted': {
        const follow = ledgerFollowUpsFor(event, (i) => reactionTo(PACKAGES_PM, busEvent, i, '', {}).metadata);
        const { caseId, packageId } = event.data;
        return caseId === null
          ? follow
          : [
              ...follow,
              reactionTo<ArrangePlacement>(PACKAGES_PM, busEvent, follow.length, 'ArrangePlacement', {
                caseId,
                source: 'home-care-package',
                sourceId: packageId,
              }),
            ];
      }
      case 'PackageOfferDeclined':
      case 'PackageOfferExpired':
      case 'PackageOfferWithdrawn':
      case 'PackageRequestCancelled':
        return ledgerFollowUpsFor(event, (i) => reactionTo(PACKAGES_PM, busEvent, i, '', {}).metadata);
      default:
        return [];
    }
  },
};

export const homeCareProcessManagers: readonly ProcessManager[] = [
  homeCareDischargeProcessManager,
  homeCarePackagesProcessManager,
];
