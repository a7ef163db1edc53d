import { deterministicUuid, type Command, type RecordedEvent } from '@app/event-sourcing';
import { patientRecord, patientStreamOf, type PatientRecordCommand } from '@app/discharge';
import type { ContextDefinition, DeadlineRule } from '@app/platform';
import type { ReferenceData } from '@app/reference-data';
import { communityReferralRulesFrom } from './community-referral-rules';
import {
  communityReferralStreamOf,
  createReferralDecider,
  type CommunityReferralSubmitted,
  type IntermediateCareReferralCommand,
  type RaiseResponseBreach,
} from './intermediate-care-referral';
import { COMMUNITY_REFERRALS_CONTEXT, communityReferralProcessManagers } from './process-managers';

export const COMMUNITY_REFERRAL_CATEGORIES = ['communityReferral'] as const;

export const COMMUNITY_REFERRAL_COMMANDS: ReadonlyArray<IntermediateCareReferralCommand['type']> = [
  'SubmitCommunityReferral',
  'TriageCommunityReferral',
  'RecordFirstResponse',
  'RaiseResponseBreach',
  'ArrangeCare',
  'StartCare',
  'EndCare',
  'WithdrawCommunityReferral',
];

const schedulerActor = { userId: 'deadline-scheduler', role: 'system' as const, organisation: 'TOCH' };

const SETTLING = new Set(['FirstResponseRecorded', 'ResponseServiceLevelBreached', 'CommunityReferralWithdrawn', 'CareEnded']);

/** An urgent referral with no face-to-face response by its respond-by time raises a breach the hub sees. */
export const responseServiceLevelDeadline: DeadlineRule<Command> = {
  name: 'community-referral-response',
  categories: COMMUNITY_REFERRAL_CATEGORIES,
  effect: (event: RecordedEvent) => {
    const referralId = (event.data as { referralId: string }).referralId;
    const deadlineId = `community-response:${referralId}`;
    if (event.type === 'CommunityReferralSubmitted') {
      const { respondBy } = event.data as CommunityReferralSubmitted['data'];
      if (!respondBy) return undefined;
      return {
        kind: 'schedule',
        deadlineId,
        dueAt: respondBy,
        command: (firedAt): RaiseResponseBreach => ({
          type: 'RaiseResponseBreach',
          data: { referralId },
          metadata: {
            commandId: deterministicUuid(`${deadlineId}:${event.id}`),
            correlationId: event.metadata.correlationId,
            causationId: event.id,
            actor: schedulerActor,
            now: firedAt,
          },
        }),
      };
    }
    const closes = event.type === 'CommunityReferralTriaged' && (event.data as { closesReferral: boolean }).closesReferral;
    if (SETTLING.has(event.type) || closes) return { kind: 'settle', deadlineId };
    return undefined;
  },
};

/**
 * The community-referrals context: step-up and end-of-life referrals, relayed to
 * `community-referrals.events.v1`. It notes each open referral on the person's record (`patient-<id>`,
 * never relayed), beside any open discharge case.
 */
export function communityReferralsContext(referenceData: ReferenceData): ContextDefinition {
  const decider = createReferralDecider(communityReferralRulesFrom(referenceData));
  return {
    context: COMMUNITY_REFERRALS_CONTEXT,
    categories: COMMUNITY_REFERRAL_CATEGORIES,
    processManagers: communityReferralProcessManagers,
    deadlineRules: [responseServiceLevelDeadline],
    registerCommands: (dispatcher) => {
      dispatcher.register(COMMUNITY_REFERRAL_COMMANDS, {
        decider,
        streamOf: (c: IntermediateCareReferralCommand) => communityReferralStreamOf(c.data.referralId),
      });
      dispatcher.register(['NoteOpenCommunityReferral', 'ReleaseOpenCommunityReferral'], {
        decider: patientRecord,
        streamOf: (c: PatientRecordCommand) => patientStreamOf(c.data.patientId),
      });
    },
  };
}
