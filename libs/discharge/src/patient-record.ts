import { assertNever, DomainRefusal, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';

/**
 * One stream per person, `patient-<patientId>`: it holds the sealed identity and enforces one open
 * case per person with an expected revision. The patientId is the vault's single pseudonym for the
 * HMAC of the NHS number, so keying the stream by it is the same rule as DESIGN's `patient-<HMAC>`,
 * and it also covers people not yet traced, while the HMAC never leaves the vault.
 *
 * It also notes the person's open community referral (step-up or end of life). That never refuses a
 * discharge case, nor the reverse: a person may need both, and the hub sees both from this one stream.
 */
export type PatientRecordEvent =
  | DomainEvent<'PatientIdentityRecorded', { patientId: string; sealedIdentity: string; recordedAt: string }>
  | DomainEvent<'OpenCaseClaimed', { patientId: string; caseId: string; claimedAt: string }>
  | DomainEvent<'OpenCaseReleased', { patientId: string; caseId: string; reason: 'closed' | 'never-created'; releasedAt: string }>
  | DomainEvent<'OpenCommunityReferralNoted', { patientId: string; referralId: string; notedAt: string }>
  | DomainEvent<
      'OpenCommunityReferralReleased',
      { patientId: string; referralId: string; reason: 'closed' | 'never-created'; releasedAt: string }
    >;

export type PatientRecordCommand =
  | Command<'ClaimOpenCase', { patientId: string; caseId: string; sealedIdentity: string }>
  | Command<'ReleaseOpenCase', { patientId: string; caseId: string; reason: 'closed' | 'never-created' }>
  | Command<'NoteOpenCommunityReferral', { patientId: string; referralId: string; sealedIdentity: string }>
  | Command<'ReleaseOpenCommunityReferral', { patientId: string; referralId: string; reason: 'closed' | 'never-created' }>;

export interface PatientRecord {
  openCaseId: string | null;
  claimedAt: string | null;
  sealedIdentity: string | null;
  openCommunityReferralId?: string | null;
  communityReferralNotedAt?: string | null;
}

export const patientStreamOf = (patientId: string) => `patient-${patientId}`;

export class OpenCaseExists extends DomainRefusal {
  constructor(readonly existingCaseId: string) {
    super('OPEN_CASE_EXISTS', 'This person already has an open discharge case', 'conflict', { existingCaseId });
  }
}

export class OpenCommunityReferralExists extends DomainRefusal {
  constructor(readonly existingReferralId: string) {
    super('OPEN_COMMUNITY_REFERRAL_EXISTS', 'This person already has an open community referral', 'conflict', {
      existingReferralId,
    });
  }
}

/** What else the hub should see open for this person, besides the record it is reading. */
export type AlsoOpen = { kind: 'discharge-case'; id: string } | { kind: 'community-referral'; id: string };

export const alsoOpenBesidesCase = (record: PatientRecord): AlsoOpen | null =>
  record.openCommunityReferralId ? { kind: 'community-referral', id: record.openCommunityReferralId } : null;

export const alsoOpenBesidesReferral = (record: PatientRecord): AlsoOpen | null =>
  record.openCaseId ? { kind: 'discharge-case', id: record.openCaseId } : null;

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
      case 'OpenCommunityReferralNoted':
        return { ...state, openCommunityReferralId: event.data.referralId, communityReferralNotedAt: event.data.notedAt };
      case 'OpenCommunityReferralReleased':
        return state.openCommunityReferralId === event.data.referralId
          ? { ...state, openCommunityReferralId: null, communityReferralNotedAt: null }
          : state;
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
      case 'NoteOpenCommunityReferral': {
        const { patientId, referralId, sealedIdentity } = command.data;
        const open = state.openCommunityReferralId ?? null;
        if (open === referralId) return [];
        if (open !== null) throw new OpenCommunityReferralExists(open);
        return [
          { type: 'PatientIdentityRecorded', data: { patientId, sealedIdentity, recordedAt: now } },
          { type: 'OpenCommunityReferralNoted', data: { patientId, referralId, notedAt: now } },
        ];
      }
      case 'ReleaseOpenCommunityReferral':
        if ((state.openCommunityReferralId ?? null) !== command.data.referralId) return [];
        return [{ type: 'OpenCommunityReferralReleased', data: { ...command.data, releasedAt: now } }];
      default:
        return assertNever(command);
    }
  },
};
