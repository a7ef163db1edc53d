import type { Actor, CommandMetadata } from '@app/event-sourcing';
import { actors, commandMetadata, type Issued } from '@app/event-sourcing/testing/builders';
import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import {
  createDischargeCaseDecider,
  type AcceptReferral,
  type ArrangePlacement,
  type AssignPathway,
  type CaseWithdrawn,
  type CloseDelay,
  type CriteriaToResideMetAgain,
  type CriteriaToResideNotMet,
  type DelayClosed,
  type DelayOpened,
  type EraseIdentity,
  type IdentityErased,
  type MakeDelayPrimary,
  type Needs,
  type NinetyOneDayFollowUpDue,
  type NinetyOneDayFollowUpRecorded,
  type OpenDelay,
  type PathwayAssigned,
  type PathwayPlan,
  type Pathway,
  type PatientDischarged,
  type PlacementArranged,
  type PrimaryDelayChanged,
  type RecordCriteriaToResideMetAgain,
  type RecordCriteriaToResideNotMet,
  type RecordDischarge,
  type RaiseNinetyOneDayFollowUp,
  type RecordNinetyOneDayFollowUp,
  type ReferralAccepted,
  type ReferralReturned,
  type ReferralSubmitted,
  type ReturnReferral,
  type SubmitReferral,
  type WithdrawCase,
} from '../discharge-case';
import { dischargeRulesFrom } from '../discharge-rules';

/** The decider with the shipped illustrative Somerset lists (always that file, whatever REFERENCE_DATA_FILE says). */
export const illustrativeReferenceData = loadReferenceData(defaultReferenceDataFile());
export const dischargeCaseForSpecs = createDischargeCaseDecider(dischargeRulesFrom(illustrativeReferenceData));

export const CASE_ID = '6c0f3f0e-8a51-4f7e-9f0a-2b9c1d4e5f60';
export const PATIENT_ID = '0d9e8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
/** Submitted an hour before the default command time; GMT, so London dates equal UTC dates. */
export const SUBMITTED_AT = '2026-11-23T09:00:00.000Z';
export const NOW = '2026-11-23T10:00:00.000Z';
export const ADMITTED_ON = '2026-11-16';

export const { ward, otherWard, hub, admin, leader, provider } = actors;
export const system: Actor = { userId: 'process-manager', role: 'system', organisation: 'TOCH' };

export const metadata = (by: Actor = hub, at: string = NOW): CommandMetadata => commandMetadata(by, at);

export type { Issued };

export const defaultNeeds = (overrides: Partial<Needs> = {}): Needs => ({
  mobility: 'walking-aid',
  cognition: 'no-concerns',
  careHoursPerWeek: 14,
  equipment: ['walking-frame'],
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

/** A complete plan for a pathway with everyday defaults: P1 with home care, P2 rehab intending to go home, P3 nursing. */
export const planFor = (pathway: Pathway, overrides: Partial<PathwayPlan> = {}): PathwayPlan => {
  const defaults: Record<Pathway, PathwayPlan> = {
    0: { pathway: 0, homeCareNeeded: null, bedCategory: null, intentionToReturnHome: null },
    1: { pathway: 1, homeCareNeeded: true, bedCategory: null, intentionToReturnHome: null },
    2: { pathway: 2, homeCareNeeded: null, bedCategory: 'rehab', intentionToReturnHome: true },
    3: { pathway: 3, homeCareNeeded: null, bedCategory: 'nursing', intentionToReturnHome: null },
  };
  return { ...defaults[pathway], ...overrides };
};

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export const referralSubmitted = (data: Partial<ReferralSubmitted['data']> = {}): ReferralSubmitted => ({
  type: 'ReferralSubmitted',
  data: {
    caseId: CASE_ID,
    patientId: PATIENT_ID,
    hospital: 'RH5',
    site: 'RH5A8',
    ward: 'RH5A8-ELIOT',
    admittedOn: ADMITTED_ON,
    area: 'SOMERSET_WEST_AND_TAUNTON',
    usualResidence: 'own-home',
    ageBand: '85+',
    proposedPathway: 1,
    needs: defaultNeeds(),
    sealedNote: null,
    submittedAt: SUBMITTED_AT,
    ...data,
  },
});

export const referralAccepted = (data: Partial<ReferralAccepted['data']> = {}): ReferralAccepted => ({
  type: 'ReferralAccepted',
  data: { caseId: CASE_ID, submittedAt: SUBMITTED_AT, acceptedAt: NOW, ...data },
});

export const referralReturned = (data: Partial<ReferralReturned['data']> = {}): ReferralReturned => ({
  type: 'ReferralReturned',
  data: {
    caseId: CASE_ID,
    patientId: PATIENT_ID,
    reason: 'incomplete-information',
    sealedNote: null,
    submittedAt: SUBMITTED_AT,
    returnedAt: NOW,
    ...data,
  },
});

export const criteriaToResideNotMet = (data: Partial<CriteriaToResideNotMet['data']> = {}): CriteriaToResideNotMet => ({
  type: 'CriteriaToResideNotMet',
  data: { caseId: CASE_ID, from: '2026-11-20', recordedAt: NOW, ...data },
});

export const criteriaToResideMetAgain = (data: Partial<CriteriaToResideMetAgain['data']> = {}): CriteriaToResideMetAgain => ({
  type: 'CriteriaToResideMetAgain',
  data: { caseId: CASE_ID, on: '2026-11-21', endedPeriodFrom: '2026-11-20', recordedAt: NOW, ...data },
});

export const pathwayAssigned = (
  data: Partial<Omit<PathwayAssigned['data'], 'pathway'>> & { pathway?: Pathway } = {},
): PathwayAssigned => {
  const { pathway = 1, homeCareNeeded, bedCategory, intentionToReturnHome, ...rest } = data;
  const plan = planFor(pathway, {
    ...(homeCareNeeded !== undefined && { homeCareNeeded }),
    ...(bedCategory !== undefined && { bedCategory }),
    ...(intentionToReturnHome !== undefined && { intentionToReturnHome }),
  });
  return {
    type: 'PathwayAssigned',
    data: {
      caseId: CASE_ID,
      ...plan,
      reason: 'mdt-assessment',
      assignedAt: NOW,
      previousPathway: null,
      previous: null,
      ...rest,
    },
  };
};

export const delayOpened = (data: Partial<DelayOpened['data']> = {}): DelayOpened => ({
  type: 'DelayOpened',
  data: {
    caseId: CASE_ID,
    delayId: 'delay-1',
    reasonCode: 'CAP-P1',
    reasonVersion: '2024-25',
    primary: true,
    sealedNote: null,
    openedAt: NOW,
    ...data,
  },
});

export const delayClosed = (data: Partial<DelayClosed['data']> = {}): DelayClosed => ({
  type: 'DelayClosed',
  data: {
    caseId: CASE_ID,
    delayId: 'delay-1',
    closure: 'resolved',
    promotedDelayId: null,
    sealedNote: null,
    closedAt: NOW,
    ...data,
  },
});

export const primaryDelayChanged = (data: Partial<PrimaryDelayChanged['data']> = {}): PrimaryDelayChanged => ({
  type: 'PrimaryDelayChanged',
  data: { caseId: CASE_ID, primaryDelayId: 'delay-2', previousPrimaryDelayId: 'delay-1', changedAt: NOW, ...data },
});

export const placementArranged = (data: Partial<PlacementArranged['data']> = {}): PlacementArranged => ({
  type: 'PlacementArranged',
  data: { caseId: CASE_ID, source: 'home-care-package', sourceId: 'package-1', pathway: 1, arrangedAt: NOW, ...data },
});

export const patientDischarged = (
  data: Partial<Omit<PatientDischarged['data'], 'pathway'>> & { pathway?: Pathway } = {},
): PatientDischarged => {
  const { pathway = 1, homeCareNeeded, bedCategory, intentionToReturnHome, ...rest } = data;
  const plan = planFor(pathway, {
    ...(homeCareNeeded !== undefined && { homeCareNeeded }),
    ...(bedCategory !== undefined && { bedCategory }),
    ...(intentionToReturnHome !== undefined && { intentionToReturnHome }),
  });
  return {
    type: 'PatientDischarged',
    data: {
      caseId: CASE_ID,
      patientId: PATIENT_ID,
      ...plan,
      dischargedAt: NOW,
      dischargedOn: '2026-11-23',
      destination: '19',
      dischargeReadyDate: null,
      delayDays: 0,
      ageBand: '85+',
      followUpDueOn: '2027-02-22',
      recordedAt: NOW,
      ...rest,
    },
  };
};

export const caseWithdrawn = (data: Partial<CaseWithdrawn['data']> = {}): CaseWithdrawn => ({
  type: 'CaseWithdrawn',
  data: {
    caseId: CASE_ID,
    patientId: PATIENT_ID,
    reason: 'no-longer-needed',
    pathway: null,
    sealedNote: null,
    withdrawnAt: NOW,
    ...data,
  },
});

export const ninetyOneDayFollowUpRecorded = (
  data: Partial<NinetyOneDayFollowUpRecorded['data']> = {},
): NinetyOneDayFollowUpRecorded => ({
  type: 'NinetyOneDayFollowUpRecorded',
  data: {
    caseId: CASE_ID,
    result: 'at-home',
    countsAsAtHome: true,
    dueOn: '2027-02-22',
    sealedNote: null,
    recordedAt: '2027-02-22T10:00:00.000Z',
    ...data,
  },
});

export const ninetyOneDayFollowUpDue = (data: Partial<NinetyOneDayFollowUpDue['data']> = {}): NinetyOneDayFollowUpDue => ({
  type: 'NinetyOneDayFollowUpDue',
  data: { caseId: CASE_ID, dueOn: '2027-02-22', raisedAt: '2027-02-22T00:00:00.000Z', ...data },
});

export const identityErased = (data: Partial<IdentityErased['data']> = {}): IdentityErased => ({
  type: 'IdentityErased',
  data: { caseId: CASE_ID, patientId: PATIENT_ID, erasedAt: NOW, ...data },
});

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export const submitReferral = ({
  by = ward,
  at = NOW,
  ...data
}: Partial<SubmitReferral['data']> & Issued = {}): SubmitReferral => ({
  type: 'SubmitReferral',
  data: {
    caseId: CASE_ID,
    patientId: PATIENT_ID,
    hospital: 'RH5',
    ward: 'RH5A8-ELIOT',
    admittedOn: ADMITTED_ON,
    area: 'SOMERSET_WEST_AND_TAUNTON',
    usualResidence: 'own-home',
    ageBand: '85+',
    proposedPathway: 1,
    needs: defaultNeeds(),
    ...data,
  },
  metadata: metadata(by, at),
});

export const acceptReferral = ({ by = hub, at = NOW }: Issued = {}): AcceptReferral => ({
  type: 'AcceptReferral',
  data: { caseId: CASE_ID },
  metadata: metadata(by, at),
});

export const returnReferral = ({
  by = hub,
  at = NOW,
  ...data
}: Partial<ReturnReferral['data']> & Issued = {}): ReturnReferral => ({
  type: 'ReturnReferral',
  data: { caseId: CASE_ID, reason: 'incomplete-information', ...data },
  metadata: metadata(by, at),
});

export const recordCriteriaToResideNotMet = ({
  by = ward,
  at = NOW,
  ...data
}: Partial<RecordCriteriaToResideNotMet['data']> & Issued = {}): RecordCriteriaToResideNotMet => ({
  type: 'RecordCriteriaToResideNotMet',
  data: { caseId: CASE_ID, from: '2026-11-20', ...data },
  metadata: metadata(by, at),
});

export const recordCriteriaToResideMetAgain = ({
  by = ward,
  at = NOW,
  ...data
}: Partial<RecordCriteriaToResideMetAgain['data']> & Issued = {}): RecordCriteriaToResideMetAgain => ({
  type: 'RecordCriteriaToResideMetAgain',
  data: { caseId: CASE_ID, on: '2026-11-21', ...data },
  metadata: metadata(by, at),
});

/** Defaults to a complete plan for the pathway (see planFor); pass a field as undefined to leave it out. */
export const assignPathway = ({
  by = hub,
  at = NOW,
  pathway = 1,
  ...data
}: Partial<AssignPathway['data']> & Issued = {}): AssignPathway => {
  const plan = planFor(pathway);
  return {
    type: 'AssignPathway',
    data: {
      caseId: CASE_ID,
      pathway,
      reason: 'mdt-assessment',
      ...(plan.homeCareNeeded !== null && { homeCareNeeded: plan.homeCareNeeded }),
      ...(plan.bedCategory !== null && { bedCategory: plan.bedCategory }),
      ...(plan.intentionToReturnHome !== null && { intentionToReturnHome: plan.intentionToReturnHome }),
      ...data,
    },
    metadata: metadata(by, at),
  };
};

export const openDelay = ({ by = ward, at = NOW, ...data }: Partial<OpenDelay['data']> & Issued = {}): OpenDelay => ({
  type: 'OpenDelay',
  data: { caseId: CASE_ID, delayId: 'delay-1', reasonCode: 'CAP-P1', reasonVersion: '2024-25', ...data },
  metadata: metadata(by, at),
});

export const closeDelay = ({ by = ward, at = NOW, ...data }: Partial<CloseDelay['data']> & Issued = {}): CloseDelay => ({
  type: 'CloseDelay',
  data: { caseId: CASE_ID, delayId: 'delay-1', ...data },
  metadata: metadata(by, at),
});

export const makeDelayPrimary = ({
  by = ward,
  at = NOW,
  ...data
}: Partial<MakeDelayPrimary['data']> & Issued = {}): MakeDelayPrimary => ({
  type: 'MakeDelayPrimary',
  data: { caseId: CASE_ID, delayId: 'delay-2', ...data },
  metadata: metadata(by, at),
});

export const arrangePlacement = ({
  by = system,
  at = NOW,
  ...data
}: Partial<ArrangePlacement['data']> & Issued = {}): ArrangePlacement => ({
  type: 'ArrangePlacement',
  data: { caseId: CASE_ID, source: 'home-care-package', sourceId: 'package-1', ...data },
  metadata: metadata(by, at),
});

export const recordDischarge = ({
  by = hub,
  at = NOW,
  ...data
}: Partial<RecordDischarge['data']> & Issued = {}): RecordDischarge => ({
  type: 'RecordDischarge',
  data: { caseId: CASE_ID, dischargedAt: NOW, destination: '19', ...data },
  metadata: metadata(by, at),
});

export const withdrawCase = ({ by = hub, at = NOW, ...data }: Partial<WithdrawCase['data']> & Issued = {}): WithdrawCase => ({
  type: 'WithdrawCase',
  data: { caseId: CASE_ID, reason: 'no-longer-needed', ...data },
  metadata: metadata(by, at),
});

export const recordNinetyOneDayFollowUp = ({
  by = hub,
  at = '2027-02-22T10:00:00.000Z',
  ...data
}: Partial<RecordNinetyOneDayFollowUp['data']> & Issued = {}): RecordNinetyOneDayFollowUp => ({
  type: 'RecordNinetyOneDayFollowUp',
  data: { caseId: CASE_ID, result: 'at-home', ...data },
  metadata: metadata(by, at),
});

export const raiseNinetyOneDayFollowUp = ({
  by = system,
  at = '2027-02-22T00:00:00.000Z',
}: Issued = {}): RaiseNinetyOneDayFollowUp => ({
  type: 'RaiseNinetyOneDayFollowUp',
  data: { caseId: CASE_ID },
  metadata: metadata(by, at),
});

export const eraseIdentity = ({ by = hub, at = NOW }: Issued = {}): EraseIdentity => ({
  type: 'EraseIdentity',
  data: { caseId: CASE_ID },
  metadata: metadata(by, at),
});
