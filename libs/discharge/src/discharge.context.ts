import { deterministicUuid, type Command, type RecordedEvent } from '@app/event-sourcing';
import { reactionTo, topicFor, type ProcessManager } from '@app/messaging';
import type { ContextDefinition, DeadlineRule } from '@app/platform';
import type { ReferenceData } from '@app/reference-data';
import { startOfLondonDay } from '@app/time';
import { ACUTE_ACTIVITY_COMMANDS, acuteActivityRoute } from './activity-feed';
import {
  createDischargeCaseDecider,
  type DischargeCaseCommand,
  type PatientDischarged,
  type RaiseNinetyOneDayFollowUp,
} from './discharge-case';
import { dischargeRulesFrom } from './discharge-rules';
import { patientRecord, patientStreamOf, type PatientRecordCommand } from './patient-record';

export const DISCHARGE_CONTEXT = 'discharge';
export const dischargeCaseStreamOf = (caseId: string) => `dischargeCase-${caseId}`;

export const DISCHARGE_CASE_COMMANDS: ReadonlyArray<DischargeCaseCommand['type']> = [
  'SubmitReferral',
  'AcceptReferral',
  'ReturnReferral',
  'RecordCriteriaToResideNotMet',
  'RecordCriteriaToResideMetAgain',
  'AssignPathway',
  'OpenDelay',
  'CloseDelay',
  'MakeDelayPrimary',
  'ArrangePlacement',
  'RecordDischarge',
  'WithdrawCase',
  'RecordNinetyOneDayFollowUp',
  'RaiseNinetyOneDayFollowUp',
  'EraseIdentity',
];

/** A closed case (returned, withdrawn or discharged) frees the person for a new referral. */
export const releaseOpenCaseOnClose: ProcessManager = {
  name: 'discharge-open-case-release',
  topics: [topicFor(DISCHARGE_CONTEXT)],
  react: (event) => {
    if (event.type !== 'ReferralReturned' && event.type !== 'CaseWithdrawn' && event.type !== 'PatientDischarged') return [];
    const { caseId, patientId } = event.data as { caseId: string; patientId: string };
    return [
      reactionTo<PatientRecordCommand>('discharge-open-case-release', event, 0, 'ReleaseOpenCase', {
        patientId,
        caseId,
        reason: 'closed',
      }),
    ];
  },
};

const schedulerActor = { userId: 'deadline-scheduler', role: 'system' as const, organisation: 'TOCH' };

/** Day 91 after a discharge in the ASCOF 2B(1) cohort: the follow-up becomes due at 00:00 London time. */
export const ninetyOneDayFollowUpDeadline: DeadlineRule<Command> = {
  name: 'discharge-91-day-follow-up',
  categories: ['dischargeCase'],
  effect: (event: RecordedEvent) => {
    const caseId = (event.data as { caseId: string }).caseId;
    const deadlineId = `follow-up-91:${caseId}`;
    if (event.type === 'PatientDischarged') {
      const { followUpDueOn } = event.data as PatientDischarged['data'];
      if (!followUpDueOn) return undefined;
      return {
        kind: 'schedule',
        deadlineId,
        dueAt: startOfLondonDay(followUpDueOn).toISOString(),
        command: (firedAt): RaiseNinetyOneDayFollowUp => ({
          type: 'RaiseNinetyOneDayFollowUp',
          data: { caseId },
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
    if (event.type === 'NinetyOneDayFollowUpDue' || event.type === 'NinetyOneDayFollowUpRecorded')
      return { kind: 'settle', deadlineId };
    return undefined;
  },
};

/**
 * The discharge context: cases, the patient records that hold one open case per person, and the
 * acute activity feed. Patient records carry sealed identity, so they are never relayed to the bus.
 */
export function dischargeContext(referenceData: ReferenceData): ContextDefinition {
  const decider = createDischargeCaseDecider(dischargeRulesFrom(referenceData));
  return {
    context: DISCHARGE_CONTEXT,
    categories: ['dischargeCase', 'acuteActivity'],
    processManagers: [releaseOpenCaseOnClose],
    deadlineRules: [ninetyOneDayFollowUpDeadline],
    registerCommands: (dispatcher) => {
      dispatcher.register(DISCHARGE_CASE_COMMANDS, {
        decider,
        streamOf: (c: DischargeCaseCommand) => dischargeCaseStreamOf(c.data.caseId),
      });
      dispatcher.register(['ClaimOpenCase', 'ReleaseOpenCase'], {
        decider: patientRecord,
        streamOf: (c: PatientRecordCommand) => patientStreamOf(c.data.patientId),
      });
      dispatcher.register(ACUTE_ACTIVITY_COMMANDS, acuteActivityRoute);
    },
  };
}
