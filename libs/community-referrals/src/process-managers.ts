import type { Command } from '@app/event-sourcing';
import {
  bedNeedsFromReferral,
  type BedRequestReservationRecorded,
  type CloseBedRequest,
  type OpenBedRequest,
  type RecordDischargeToBed,
  type RequestClosureReason,
} from '@app/bed-base';
import type { PatientRecordCommand } from '@app/discharge';
import type { CancelPackageRequest, CancellationReason, PackageAccepted, RequestPackage } from '@app/home-care';
import { reactionTo, topicFor, type BusEvent, type ProcessManager } from '@app/messaging';
import type {
  ArrangeCare,
  CareEnded,
  CareRequest,
  CareStarted,
  CommunityReferralTriaged,
  CommunityReferralWithdrawn,
  ReferralWithdrawalReason,
} from './intermediate-care-referral';

export const COMMUNITY_REFERRALS_CONTEXT = 'community-referrals';
export const CARE_PM = 'community-referrals-care';
export const RELEASE_PM = 'community-referrals-open-referral-release';

type ReferralEvent = CommunityReferralTriaged | CommunityReferralWithdrawn | CareStarted | CareEnded;

const bedClosureFor = (reason: ReferralWithdrawalReason | 'superseded'): RequestClosureReason => {
  switch (reason) {
    case 'died':
      return 'patient-died';
    case 'admitted-to-hospital':
    case 'no-longer-needed':
    case 'superseded':
      return 'no-longer-needed';
    default:
      return 'case-withdrawn';
  }
};

const packageCancellationFor = (reason: ReferralWithdrawalReason | 'superseded'): CancellationReason => {
  switch (reason) {
    case 'died':
      return 'patient-died';
    case 'superseded':
      return 'home-care-no-longer-needed';
    default:
      return 'referral-withdrawn';
  }
};

/**
 * Community referrals → bed base and home care, through the same commands discharges use, and back.
 *
 * - A triage to a bed opens a bed request (origin community-referral, pathway 2; its `caseId` is the
 *   referral id, which the origin tells apart from a discharge case); support at home requests a package.
 *   Both ids come on the triage event (derived from the referral and the triage), so the open is
 *   createOnly and a redelivery is a no-op.
 * - Compensations: a withdrawal (death, admission to hospital, no longer needed…) closes the bed request
 *   (which releases any reservation) or cancels the package (which gives back held and committed hours);
 *   a new triage does the same to the request it supersedes.
 * - Back: a bed reservation recorded on a community request, or an accepted community package, arranges
 *   care on the referral. Care starting in the bed records the admission in the bed base.
 */
export const reactToCommunityCare = (busEvent: BusEvent): Command[] => {
  const event = busEvent as unknown as BusEvent & (ReferralEvent | BedRequestReservationRecorded | PackageAccepted);
  const commands: Command[] = [];
  const react = <C extends Command>(type: C['type'], data: C['data']) =>
    commands.push(reactionTo<C>(CARE_PM, busEvent, commands.length, type, data));
  const compensate = (request: CareRequest, reason: ReferralWithdrawalReason | 'superseded') =>
    request.setting === 'bed'
      ? react<CloseBedRequest>('CloseBedRequest', { requestId: request.requestId, reason: bedClosureFor(reason) })
      : react<CancelPackageRequest>('CancelPackageRequest', {
          packageId: request.requestId,
          reason: packageCancellationFor(reason),
        });

  switch (event.type) {
    case 'CommunityReferralTriaged': {
      const { referralId, kind, careRequest, supersedes, area, needs, bedCategory, hoursPerWeek } = event.data;
      if (supersedes) compensate(supersedes, 'superseded');
      if (careRequest?.setting === 'bed' && bedCategory) {
        const bedNeeds = bedNeedsFromReferral(needs);
        react<OpenBedRequest>('OpenBedRequest', {
          requestId: careRequest.requestId,
          caseId: referralId,
          origin: 'community-referral',
          pathway: 2,
          bedCategory,
          area,
          needs: { ...bedNeeds, endOfLife: bedNeeds.endOfLife || kind === 'end-of-life' },
        });
      }
      if (careRequest?.setting === 'home' && hoursPerWeek) {
        react<RequestPackage>('RequestPackage', {
          packageId: careRequest.requestId,
          origin: 'community-referral',
          referralId,
          area,
          hoursPerWeek,
        });
      }
      return commands;
    }
    case 'CommunityReferralWithdrawn':
      if (event.data.outstanding) compensate(event.data.outstanding, event.data.reason);
      return commands;
    case 'CareStarted':
      if (event.data.setting === 'bed' && event.data.requestId) {
        react<RecordDischargeToBed>('RecordDischargeToBed', {
          requestId: event.data.requestId,
          dischargedAt: event.data.startedAt,
        });
      }
      return commands;
    case 'BedRequestReservationRecorded':
      if (event.data.origin === 'community-referral') {
        react<ArrangeCare>('ArrangeCare', {
          referralId: event.data.caseId,
          requestId: event.data.requestId,
          source: 'bed-reservation',
          sourceId: event.data.reservationId,
        });
      }
      return commands;
    case 'PackageAccepted':
      if (event.data.referralId) {
        react<ArrangeCare>('ArrangeCare', {
          referralId: event.data.referralId,
          requestId: event.data.packageId,
          source: 'home-care-package',
          sourceId: event.data.packageId,
        });
      }
      return commands;
    default:
      return [];
  }
};

/** A closed referral (signposted, declined, withdrawn, care ended) is no longer open on the person's record. */
export const reactToReferralClosing = (busEvent: BusEvent): Command[] => {
  const event = busEvent as unknown as BusEvent & ReferralEvent;
  const closes =
    event.type === 'CommunityReferralWithdrawn' ||
    event.type === 'CareEnded' ||
    (event.type === 'CommunityReferralTriaged' && event.data.closesReferral);
  if (!closes) return [];
  const { referralId, patientId } = event.data as { referralId: string; patientId: string };
  return [
    reactionTo<PatientRecordCommand>(RELEASE_PM, busEvent, 0, 'ReleaseOpenCommunityReferral', {
      patientId,
      referralId,
      reason: 'closed',
    }),
  ];
};

export const communityCareProcessManager: ProcessManager = {
  name: CARE_PM,
  topics: [topicFor(COMMUNITY_REFERRALS_CONTEXT), topicFor('bed-base'), topicFor('home-care')],
  react: reactToCommunityCare,
};

export const openReferralReleaseProcessManager: ProcessManager = {
  name: RELEASE_PM,
  topics: [topicFor(COMMUNITY_REFERRALS_CONTEXT)],
  react: reactToReferralClosing,
};

export const communityReferralProcessManagers: readonly ProcessManager[] = [
  communityCareProcessManager,
  openReferralReleaseProcessManager,
];
