import type { Actor, CommandMetadata } from '@app/event-sourcing';
import { actors, commandMetadata, type Issued } from '@app/event-sourcing/testing/builders';
import type { Needs } from '@app/discharge';
import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import { communityReferralRulesFrom } from '../community-referral-rules';
import {
  careRequestIdFor,
  createReferralDecider,
  type ArrangeCare,
  type CareArranged,
  type CareEnded,
  type CareStarted,
  type CommunityReferralSubmitted,
  type CommunityReferralTriaged,
  type CommunityReferralWithdrawn,
  type EndCare,
  type FirstResponseRecorded,
  type RaiseResponseBreach,
  type RecordFirstResponse,
  type ResponseServiceLevelBreached,
  type StartCare,
  type SubmitCommunityReferral,
  type TriageCommunityReferral,
  type WithdrawCommunityReferral,
} from '../intermediate-care-referral';

export const illustrativeReferenceData = loadReferenceData(defaultReferenceDataFile());
export const referralDeciderForSpecs = createReferralDecider(communityReferralRulesFrom(illustrativeReferenceData));

export const REFERRAL_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const PATIENT_ID = '0d9e8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
/** GMT, so London dates equal UTC dates. */
export const SUBMITTED_AT = '2026-11-23T09:00:00.000Z';
export const NOW = '2026-11-23T10:00:00.000Z';
export const RESPOND_BY = '2026-11-23T11:00:00.000Z';
export const FIRST_REQUEST = careRequestIdFor(REFERRAL_ID, 1);
export const SECOND_REQUEST = careRequestIdFor(REFERRAL_ID, 2);

export const { hub, ward, provider, leader } = actors;
export const system: Actor = { userId: 'pm:community-referrals-care', role: 'system', organisation: 'TOCH' };

export type { Issued };

const metadata = ({ by = hub, at = NOW }: Issued): CommandMetadata => commandMetadata(by, at);

export const needs = (overrides: Partial<Needs> = {}): Needs => ({
  mobility: 'assistance-of-one',
  cognition: 'no-concerns',
  careHoursPerWeek: 10,
  equipment: [],
  specialist: {
    bariatric: false,
    dementia: false,
    endOfLife: false,
    opmh: false,
    sideRoom: false,
    sexForBayAllocation: 'no-requirement',
  },
  ...overrides,
});

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export const referralSubmitted = (data: Partial<CommunityReferralSubmitted['data']> = {}): CommunityReferralSubmitted => ({
  type: 'CommunityReferralSubmitted',
  data: {
    referralId: REFERRAL_ID,
    patientId: PATIENT_ID,
    kind: 'step-up',
    source: 'gp',
    referrerOrganisation: 'L85001',
    area: 'SEDGEMOOR',
    ageBand: '85+',
    needs: needs(),
    urgency: 'urgent',
    serviceLevel: { id: 'step-up-urgent-community-response', withinMinutes: 120 },
    respondBy: '2026-11-23T11:00:00.000Z',
    sealedNote: null,
    submittedAt: SUBMITTED_AT,
    ...data,
  },
});

export const endOfLifeSubmitted = (data: Partial<CommunityReferralSubmitted['data']> = {}) =>
  referralSubmitted({ kind: 'end-of-life', source: 'hospice', urgency: 'routine', serviceLevel: null, respondBy: null, ...data });

export const referralTriaged = (data: Partial<CommunityReferralTriaged['data']> = {}): CommunityReferralTriaged => ({
  type: 'CommunityReferralTriaged',
  data: {
    referralId: REFERRAL_ID,
    patientId: PATIENT_ID,
    kind: 'step-up',
    outcome: 'support-at-home',
    reason: 'safe-at-home-with-support',
    area: 'SEDGEMOOR',
    needs: needs(),
    bedCategory: null,
    hoursPerWeek: 10,
    careRequest: { setting: 'home', requestId: FIRST_REQUEST },
    supersedes: null,
    closesReferral: false,
    submittedAt: SUBMITTED_AT,
    triagedAt: NOW,
    ...data,
  },
});

export const triagedToBed = (data: Partial<CommunityReferralTriaged['data']> = {}) =>
  referralTriaged({
    outcome: 'bed',
    reason: 'needs-24-hour-care',
    bedCategory: 'step-down',
    hoursPerWeek: null,
    careRequest: { setting: 'bed', requestId: FIRST_REQUEST },
    ...data,
  });

export const firstResponseRecorded = (data: Partial<FirstResponseRecorded['data']> = {}): FirstResponseRecorded => ({
  type: 'FirstResponseRecorded',
  data: {
    referralId: REFERRAL_ID,
    kind: 'step-up',
    urgency: 'urgent',
    respondedAt: '2026-11-23T09:45:00.000Z',
    submittedAt: SUBMITTED_AT,
    minutesToRespond: 45,
    withinServiceLevel: true,
    recordedAt: NOW,
    ...data,
  },
});

export const responseBreached = (data: Partial<ResponseServiceLevelBreached['data']> = {}): ResponseServiceLevelBreached => ({
  type: 'ResponseServiceLevelBreached',
  data: {
    referralId: REFERRAL_ID,
    serviceLevelId: 'step-up-urgent-community-response',
    respondBy: RESPOND_BY,
    raisedAt: RESPOND_BY,
    ...data,
  },
});

export const careArranged = (data: Partial<CareArranged['data']> = {}): CareArranged => ({
  type: 'CareArranged',
  data: {
    referralId: REFERRAL_ID,
    setting: 'home',
    requestId: FIRST_REQUEST,
    source: 'home-care-package',
    sourceId: FIRST_REQUEST,
    arrangedAt: NOW,
    ...data,
  },
});

export const careStarted = (data: Partial<CareStarted['data']> = {}): CareStarted => ({
  type: 'CareStarted',
  data: {
    referralId: REFERRAL_ID,
    kind: 'step-up',
    setting: 'home',
    requestId: FIRST_REQUEST,
    startedAt: NOW,
    startedOn: '2026-11-23',
    submittedAt: SUBMITTED_AT,
    daysFromReferral: 0,
    recordedAt: NOW,
    ...data,
  },
});

export const careEnded = (data: Partial<CareEnded['data']> = {}): CareEnded => ({
  type: 'CareEnded',
  data: {
    referralId: REFERRAL_ID,
    patientId: PATIENT_ID,
    kind: 'step-up',
    setting: 'home',
    outcome: 'admission-avoided',
    startedOn: '2026-11-23',
    endedOn: '2026-11-23',
    recordedAt: NOW,
    ...data,
  },
});

export const referralWithdrawn = (data: Partial<CommunityReferralWithdrawn['data']> = {}): CommunityReferralWithdrawn => ({
  type: 'CommunityReferralWithdrawn',
  data: {
    referralId: REFERRAL_ID,
    patientId: PATIENT_ID,
    kind: 'step-up',
    reason: 'no-longer-needed',
    outstanding: null,
    sealedNote: null,
    withdrawnAt: NOW,
    ...data,
  },
});

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export const submitReferral = ({
  by,
  at,
  ...data
}: Partial<SubmitCommunityReferral['data']> & Issued = {}): SubmitCommunityReferral => ({
  type: 'SubmitCommunityReferral',
  data: {
    referralId: REFERRAL_ID,
    patientId: PATIENT_ID,
    kind: 'step-up',
    source: 'gp',
    referrerOrganisation: 'L85001',
    area: 'SEDGEMOOR',
    ageBand: '85+',
    needs: needs(),
    urgency: 'urgent',
    ...data,
  },
  metadata: metadata({ by, at: at ?? SUBMITTED_AT }),
});

export const triage = ({ by, at, ...data }: Partial<TriageCommunityReferral['data']> & Issued = {}): TriageCommunityReferral => ({
  type: 'TriageCommunityReferral',
  data: { referralId: REFERRAL_ID, outcome: 'support-at-home', reason: 'safe-at-home-with-support', ...data },
  metadata: metadata({ by, at }),
});

export const recordFirstResponse = ({
  by,
  at,
  ...data
}: Partial<RecordFirstResponse['data']> & Issued = {}): RecordFirstResponse => ({
  type: 'RecordFirstResponse',
  data: { referralId: REFERRAL_ID, respondedAt: '2026-11-23T09:45:00.000Z', ...data },
  metadata: metadata({ by, at }),
});

export const raiseResponseBreach = ({ by = system, at = RESPOND_BY }: Issued = {}): RaiseResponseBreach => ({
  type: 'RaiseResponseBreach',
  data: { referralId: REFERRAL_ID },
  metadata: metadata({ by, at }),
});

export const arrangeCare = ({ by = system, at, ...data }: Partial<ArrangeCare['data']> & Issued = {}): ArrangeCare => ({
  type: 'ArrangeCare',
  data: { referralId: REFERRAL_ID, requestId: FIRST_REQUEST, source: 'home-care-package', sourceId: FIRST_REQUEST, ...data },
  metadata: metadata({ by, at }),
});

export const startCare = ({ by, at, ...data }: Partial<StartCare['data']> & Issued = {}): StartCare => ({
  type: 'StartCare',
  data: { referralId: REFERRAL_ID, startedAt: NOW, ...data },
  metadata: metadata({ by, at }),
});

export const endCare = ({ by, at, ...data }: Partial<EndCare['data']> & Issued = {}): EndCare => ({
  type: 'EndCare',
  data: { referralId: REFERRAL_ID, outcome: 'admission-avoided', endedOn: '2026-11-23', ...data },
  metadata: metadata({ by, at }),
});

export const withdraw = ({
  by,
  at,
  ...data
}: Partial<WithdrawCommunityReferral['data']> & Issued = {}): WithdrawCommunityReferral => ({
  type: 'WithdrawCommunityReferral',
  data: { referralId: REFERRAL_ID, reason: 'no-longer-needed', ...data },
  metadata: metadata({ by, at }),
});
