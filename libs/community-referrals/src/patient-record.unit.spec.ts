import { DomainRefusal } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import { alsoOpenBesidesCase, alsoOpenBesidesReferral, patientRecord, type PatientRecordCommand } from '@app/discharge';
import { hub, NOW, PATIENT_ID, REFERRAL_ID } from './testing/builders';

const given = specFor(patientRecord);
const CASE_ID = '6c0f3f0e-8a51-4f7e-9f0a-2b9c1d4e5f60';
const metadata = { commandId: 'c-1', correlationId: 'c-1', actor: hub, now: NOW };
const note = (referralId = REFERRAL_ID): PatientRecordCommand => ({
  type: 'NoteOpenCommunityReferral',
  data: { patientId: PATIENT_ID, referralId, sealedIdentity: 'sealed' },
  metadata,
});
const release = (referralId = REFERRAL_ID): PatientRecordCommand => ({
  type: 'ReleaseOpenCommunityReferral',
  data: { patientId: PATIENT_ID, referralId, reason: 'closed' },
  metadata,
});
const identity = {
  type: 'PatientIdentityRecorded' as const,
  data: { patientId: PATIENT_ID, sealedIdentity: 'sealed', recordedAt: NOW },
};
const caseClaimed = { type: 'OpenCaseClaimed' as const, data: { patientId: PATIENT_ID, caseId: CASE_ID, claimedAt: NOW } };
const noted = {
  type: 'OpenCommunityReferralNoted' as const,
  data: { patientId: PATIENT_ID, referralId: REFERRAL_ID, notedAt: NOW },
};

describe('the patient record and community referrals', () => {
  it('notes an open community referral even while a discharge case is open: never refused, both are seen', () => {
    given(identity, caseClaimed).when(note()).then(identity, noted);
    const state = [identity, caseClaimed, noted].reduce(patientRecord.evolve, patientRecord.initialState());
    expect(alsoOpenBesidesReferral(state)).toEqual({ kind: 'discharge-case', id: CASE_ID });
    expect(alsoOpenBesidesCase(state)).toEqual({ kind: 'community-referral', id: REFERRAL_ID });
  });

  it('a discharge case is still claimed while a community referral is open', () =>
    given(identity, noted)
      .when({ type: 'ClaimOpenCase', data: { patientId: PATIENT_ID, caseId: CASE_ID, sealedIdentity: 'sealed' }, metadata })
      .then(identity, caseClaimed));

  it('refuses a second open community referral for the same person (409)', () =>
    given(identity, noted)
      .when(note('7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'))
      .thenThrows(DomainRefusal, (e) => expect(e).toMatchObject({ code: 'OPEN_COMMUNITY_REFERRAL_EXISTS', kind: 'conflict' })));

  it('noting the same referral again decides nothing', () => given(identity, noted).when(note()).thenNothingHappens());

  it('releases the referral when it closes; a redelivered release decides nothing', () => {
    given(identity, noted)
      .when(release())
      .then({
        type: 'OpenCommunityReferralReleased',
        data: { patientId: PATIENT_ID, referralId: REFERRAL_ID, reason: 'closed', releasedAt: NOW },
      });
    given(identity).when(release()).thenNothingHappens();
  });

  it('nothing else open: no alsoOpen', () => {
    expect(alsoOpenBesidesCase(patientRecord.initialState())).toBeNull();
    expect(alsoOpenBesidesReferral(patientRecord.initialState())).toBeNull();
  });
});
