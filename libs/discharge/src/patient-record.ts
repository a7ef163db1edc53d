import { assertNever, DomainRefusal, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';

/**
 * One stream per person, `patient-<patientId>`: it holds the sealed identity and enforces one open
 * case per person with an expected revision. The patientId is the vault's single pseudonym for the
 * HMAC of the NHS number, so keying the stream by it is the same rule as DESIGN's `patient-<HMAC>`,
 * and it also covers people not yet traced, while the HMAC never leaves the vault.
 */
export type PatientRecordEvent =
  | DomainEvent<'PatientIdentityRecorded', { patientId: string; sealedIdentity: string; recordedAt: string }>
  | DomainEvent<'OpenCaseClaimed', { patientId: string; caseId: string; claimedAt: string }>
  | DomainEvent<
      'OpenCaseReleased',
      { patientId: string; caseId: string; reason: 'closed' | 'never-created'; releasedAt: string }
    >;

export type PatientRecordCommand =
  | Command<'ClaimOpenCase', { patientId: string; caseId: string; sealedIdentity: string }>
  | Command<'ReleaseOpenCase', { patientId: string; caseId: string; reason: 'closed' | 'never-created' }>;

export interface PatientRecord {
  openCaseId: string | null;
  claimedAt: string | null;
  sealedIdentity: string | null;
}

export const patientStreamOf = (patientId: string) => `patient-${patientId}`;

export class OpenCaseExists extends DomainRefusal {
  constructor(readonly existingCaseId: string) {
    super('OPEN_CASE_EXISTS', 'This person already has an open discharge case', 'conflict', { existingCaseId });
  }
}

export const patientRecord: Decider<PatientRecord, PatientRecordCommand, PatientRecordEvent> = {
  initialState: () => ({ openCaseId: null, claimedAt: null, sealedIdentity: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'PatientIdentityRecorded':
        return { ...state, sealedIdentity: event.data.sealedIdentity };
      case 'OpenCaseClaimed':
        return { ...state, openCaseId: event.data.caseId, claimedAt: event.data.claimedAt };
      case 'OpenCaseReleased':
        return state.openCaseId === event.data.caseId ? { ...state, openCaseId: null, claimedAt: null } : state;
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    const now = command.metadata.now;
    switch (command.type) {
      case 'ClaimOpenCase': {
        const { patientId, caseId, sealedIdentity } = command.data;
        if (state.openCaseId === caseId) return [];
        if (state.openCaseId !== null) throw new OpenCaseExists(state.openCaseId);
        return [
          { type: 'PatientIdentityRecorded', data: { patientId, sealedIdentity, recordedAt: now } },
          { type: 'OpenCaseClaimed', data: { patientId, caseId, claimedAt: now } },
        ];
      }
      case 'ReleaseOpenCase':
        // A release for a case that no longer holds the claim is a redelivery: nothing to do.
        if (state.openCaseId !== command.data.caseId) return [];
        return [{ type: 'OpenCaseReleased', data: { ...command.data, releasedAt: now } }];
      default:
        return assertNever(command);
    }
  },
};
