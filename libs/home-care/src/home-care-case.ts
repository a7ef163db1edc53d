import { assertNever, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';
import { assertHours, assertLocality, assertRole, oneOf, refuse } from './common';
import { CANCELLATION_REASONS, type CancellationReason } from './home-care-package';

/**
 * The case's home-care register, `homeCareCase-<caseId>`: how a compensation finds the package from the case.
 *
 * A package id is derived from the P1 PathwayAssigned event that asked for it, so a case that goes
 * P1 → P2 → P1 gets a fresh package the second time. The later events (CaseWithdrawn, a pathway change,
 * discharge) do not know that event id, so the register keeps the one live package per case: the process
 * manager links each package here and releases "the case's package" here, and the release names the package
 * for the next step. It also notes the referral's area and hours, which PathwayAssigned does not carry.
 */

export type CaseReferralNoted = DomainEvent<
  'CaseReferralNoted',
  { caseId: string; area: string; careHoursPerWeek: number; notedAt: string }
>;
export type CasePackageLinked = DomainEvent<
  'CasePackageLinked',
  { caseId: string; packageId: string; area: string; hoursPerWeek: number; linkedAt: string }
>;
export type CasePackageReleased = DomainEvent<
  'CasePackageReleased',
  { caseId: string; packageId: string; reason: CancellationReason; releasedAt: string }
>;

export type HomeCareCaseEvent = CaseReferralNoted | CasePackageLinked | CasePackageReleased;

export type NoteCaseReferral = Command<'NoteCaseReferral', { caseId: string; area: string; careHoursPerWeek: number }>;
export type LinkCasePackage = Command<'LinkCasePackage', { caseId: string; packageId: string }>;
export type ReleaseCasePackage = Command<'ReleaseCasePackage', { caseId: string; reason: CancellationReason }>;

export type HomeCareCaseCommand = NoteCaseReferral | LinkCasePackage | ReleaseCasePackage;

export interface HomeCareCase {
  caseId: string | null;
  referral: { area: string; careHoursPerWeek: number } | null;
  livePackageId: string | null;
  /** Every package ever linked, so a redelivered link never revives a released one. */
  packageIds: readonly string[];
}

export const initialHomeCareCase = (): HomeCareCase => ({ caseId: null, referral: null, livePackageId: null, packageIds: [] });

export const homeCareCaseStreamOf = (caseId: string): string => `homeCareCase-${caseId}`;

export const evolveHomeCareCase = (state: HomeCareCase, event: HomeCareCaseEvent): HomeCareCase => {
  switch (event.type) {
    case 'CaseReferralNoted':
      return {
        ...state,
        caseId: event.data.caseId,
        referral: { area: event.data.area, careHoursPerWeek: event.data.careHoursPerWeek },
      };
    case 'CasePackageLinked':
      return { ...state, livePackageId: event.data.packageId, packageIds: [...state.packageIds, event.data.packageId] };
    case 'CasePackageReleased':
      return state.livePackageId === event.data.packageId ? { ...state, livePackageId: null } : state;
    default:
      return assertNever(event);
  }
};

export const decideHomeCareCase = (command: HomeCareCaseCommand, state: HomeCareCase): HomeCareCaseEvent[] => {
  const { actor, now } = command.metadata;
  assertRole(actor, ['system', 'hub'], 'change the home-care register of a case');
  switch (command.type) {
    case 'NoteCaseReferral': {
      const { caseId, area, careHoursPerWeek } = command.data;
      if (state.referral) return [];
      assertLocality(area);
      assertHours(careHoursPerWeek, 'careHoursPerWeek', 168);
      return [{ type: 'CaseReferralNoted', data: { caseId, area, careHoursPerWeek, notedAt: now } }];
    }
    case 'LinkCasePackage': {
      const { caseId, packageId } = command.data;
      if (state.packageIds.includes(packageId)) return [];
      if (!state.referral) {
        throw refuse('CASE_REFERRAL_NOT_NOTED', 'The referral of this case has not reached home care yet', 'not_found');
      }
      const linked: CasePackageLinked = {
        type: 'CasePackageLinked',
        data: { caseId, packageId, area: state.referral.area, hoursPerWeek: state.referral.careHoursPerWeek, linkedAt: now },
      };
      if (state.livePackageId === null) return [linked];
      return [
        { type: 'CasePackageReleased', data: { caseId, packageId: state.livePackageId, reason: 'superseded', releasedAt: now } },
        linked,
      ];
    }
    case 'ReleaseCasePackage': {
      const reason = oneOf(CANCELLATION_REASONS, command.data.reason, 'UNKNOWN_CANCELLATION_REASON', 'reason');
      if (state.livePackageId === null) return [];
      return [
        {
          type: 'CasePackageReleased',
          data: { caseId: command.data.caseId, packageId: state.livePackageId, reason, releasedAt: now },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

export const homeCareCaseDecider: Decider<HomeCareCase, HomeCareCaseCommand, HomeCareCaseEvent> = {
  initialState: initialHomeCareCase,
  evolve: evolveHomeCareCase,
  decide: decideHomeCareCase,
};
