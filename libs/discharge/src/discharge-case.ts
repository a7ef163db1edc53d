import {
  assertInScope,
  assertNever,
  DomainRefusal,
  isUuid,
  type Actor,
  type Command,
  type Decider,
  type DomainEvent,
  type Role,
} from '@app/event-sourcing';
import { dayNumberAfter, isLondonDate, londonDate, londonDaysBetween, parseInstant, type LondonDate } from '@app/time';

// ─── Codes ──────────────────────────────────────────────────────────────────────────────────────────────

export type Pathway = 0 | 1 | 2 | 3;
export const PATHWAYS: readonly Pathway[] = [0, 1, 2, 3];

export const USUAL_RESIDENCES = ['own-home', 'care-home', 'extra-care'] as const;
export type UsualResidence = (typeof USUAL_RESIDENCES)[number];

export const MOBILITY_LEVELS = [
  'independent',
  'walking-aid',
  'assistance-of-one',
  'assistance-of-two',
  'hoist',
  'bed-bound',
] as const;
export type Mobility = (typeof MOBILITY_LEVELS)[number];

export const COGNITION_LEVELS = [
  'no-concerns',
  'mild-impairment',
  'moderate-impairment',
  'severe-impairment',
  'delirium',
] as const;
export type Cognition = (typeof COGNITION_LEVELS)[number];

export const EQUIPMENT = [
  'hospital-bed',
  'pressure-relieving-mattress',
  'hoist',
  'commode',
  'walking-frame',
  'wheelchair',
  'oxygen',
  'bariatric-equipment',
] as const;
export type Equipment = (typeof EQUIPMENT)[number];

export const SEX_FOR_BAY_ALLOCATION = ['female', 'male', 'no-requirement'] as const;
export type SexForBayAllocation = (typeof SEX_FOR_BAY_ALLOCATION)[number];

export interface SpecialistNeeds {
  bariatric: boolean;
  dementia: boolean;
  endOfLife: boolean;
  opmh: boolean;
  sideRoom: boolean;
  sexForBayAllocation: SexForBayAllocation;
}

export interface Needs {
  mobility: Mobility;
  cognition: Cognition;
  /** Hours of care a week, 0–168. */
  careHoursPerWeek: number;
  equipment: readonly Equipment[];
  specialist: SpecialistNeeds;
}

export const RETURN_REASONS = [
  'incomplete-information',
  'ward-led-simple-discharge',
  'outside-hub-area',
  'duplicate-referral',
  'patient-declined',
  'wrong-service',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const PATHWAY_REASONS = [
  'mdt-assessment',
  'trusted-assessment',
  'simple-discharge',
  'needs-changed',
  'patient-or-family-choice',
  'capacity',
  'clinical-change',
] as const;
export type PathwayReason = (typeof PATHWAY_REASONS)[number];

export const P2_BED_CATEGORIES = ['rehab', 'reablement', 'end-of-life', 'opmh', 'step-down', 'interim'] as const;
export const P3_BED_CATEGORIES = ['nursing', 'residential'] as const;
export type P2BedCategory = (typeof P2_BED_CATEGORIES)[number];
export type P3BedCategory = (typeof P3_BED_CATEGORIES)[number];
export type BedCategory = P2BedCategory | P3BedCategory;

export const PLACEMENT_SOURCES = ['bed-reservation', 'home-care-package'] as const;
export type PlacementSource = (typeof PLACEMENT_SOURCES)[number];

export const WITHDRAWAL_REASONS = ['died', 'readmitted-or-transferred-out', 'no-longer-needed', 'entered-in-error'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

export const DELAY_CLOSURES = [
  'resolved',
  'criteria-to-reside-met-again',
  'discharged',
  'withdrawn',
  'referral-returned',
] as const;
export type DelayClosure = (typeof DELAY_CLOSURES)[number];

export const FOLLOW_UP_RESULTS = ['at-home', 'in-hospital', 'in-care-home', 'died', 'not-contactable'] as const;
export type FollowUpResult = (typeof FOLLOW_UP_RESULTS)[number];

/** ASCOF 2B(1): P2 beds that count as reablement or rehabilitation. */
const ASCOF_P2_BED_CATEGORIES: readonly BedCategory[] = ['rehab', 'reablement'];
export const FOLLOW_UP_DAY = 91;

/**
 * The pathway and what goes with it, flat with nulls so DTOs and projections need no union:
 * `homeCareNeeded` is set on P1 only, `bedCategory` on P2 (rehab…interim) and P3 (nursing | residential),
 * `intentionToReturnHome` on P2 only.
 */
export interface PathwayPlan {
  pathway: Pathway;
  homeCareNeeded: boolean | null;
  bedCategory: BedCategory | null;
  intentionToReturnHome: boolean | null;
}

/** The lists the decider needs, as plain data; built from ReferenceData by `dischargeRulesFrom`. */
export interface DischargeRules {
  isKnownArea(code: string): boolean;
  /** The site (5-character ODS code) of `ward` when the ward belongs to a site of the trust `hospital`. */
  siteOfWard(hospital: string, ward: string): string | undefined;
  isKnownAgeBand(code: string): boolean;
  /** Whether every age in the band is 65 or over (ASCOF 2B(1) cohort). */
  isAgeBand65OrOver(code: string): boolean;
  /** True only for a code in the list version in force now, with that version named. */
  isCurrentDelayReason(code: string, version: string): boolean;
  destinationsAllowedForPathway(pathway: Pathway): readonly string[];
}

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export type ReferralSubmitted = DomainEvent<
  'ReferralSubmitted',
  {
    caseId: string;
    patientId: string;
    /** Trust ODS code: the organisation a ward user is scoped by. */
    hospital: string;
    /** Site ODS code of the ward. */
    site: string;
    ward: string;
    admittedOn: LondonDate;
    area: string;
    usualResidence: UsualResidence;
    ageBand: string;
    proposedPathway: Pathway;
    needs: Needs;
    sealedNote: string | null;
    submittedAt: string;
  }
>;
export type ReferralAccepted = DomainEvent<'ReferralAccepted', { caseId: string; submittedAt: string; acceptedAt: string }>;
export type ReferralReturned = DomainEvent<
  'ReferralReturned',
  { caseId: string; patientId: string; reason: ReturnReason; sealedNote: string | null; submittedAt: string; returnedAt: string }
>;
/** `from` is the discharge ready date of the NCTR period it starts. */
export type CriteriaToResideNotMet = DomainEvent<
  'CriteriaToResideNotMet',
  { caseId: string; from: LondonDate; recordedAt: string }
>;
export type CriteriaToResideMetAgain = DomainEvent<
  'CriteriaToResideMetAgain',
  { caseId: string; on: LondonDate; endedPeriodFrom: LondonDate; recordedAt: string }
>;
export type PathwayAssigned = DomainEvent<
  'PathwayAssigned',
  PathwayPlan & {
    caseId: string;
    reason: PathwayReason;
    assignedAt: string;
    /** Null on the first assignment; otherwise a change that process managers compensate on. */
    previousPathway: Pathway | null;
    previous: PathwayPlan | null;
  }
>;
export type DelayOpened = DomainEvent<
  'DelayOpened',
  {
    caseId: string;
    delayId: string;
    reasonCode: string;
    reasonVersion: string;
    /** True when no other delay was open. */
    primary: boolean;
    sealedNote: string | null;
    openedAt: string;
  }
>;
export type DelayClosed = DomainEvent<
  'DelayClosed',
  {
    caseId: string;
    delayId: string;
    closure: DelayClosure;
    /** The open delay that became primary because this primary one closed; else null. */
    promotedDelayId: string | null;
    sealedNote: string | null;
    closedAt: string;
  }
>;
export type PrimaryDelayChanged = DomainEvent<
  'PrimaryDelayChanged',
  { caseId: string; primaryDelayId: string; previousPrimaryDelayId: string; changedAt: string }
>;
export type PlacementArranged = DomainEvent<
  'PlacementArranged',
  { caseId: string; source: PlacementSource; sourceId: string; pathway: Pathway; arrangedAt: string }
>;
export type PatientDischarged = DomainEvent<
  'PatientDischarged',
  PathwayPlan & {
    caseId: string;
    /** On every closing event, so the patient's open-case claim can be released from the event alone. */
    patientId: string;
    dischargedAt: string;
    dischargedOn: LondonDate;
    destination: string;
    /** Start of the final NCTR period; null when the person met CTR (e.g. a same-day discharge). */
    dischargeReadyDate: LondonDate | null;
    /** London calendar days from DRD to discharge; 0 when the DRD is null. */
    delayDays: number;
    ageBand: string;
    /** Day 91 after discharge (London) when the ASCOF 2B(1) cohort rule applies; else null. */
    followUpDueOn: LondonDate | null;
    recordedAt: string;
  }
>;
export type CaseWithdrawn = DomainEvent<
  'CaseWithdrawn',
  {
    caseId: string;
    patientId: string;
    reason: WithdrawalReason;
    /** The pathway at withdrawal, so process managers know what to release. */
    pathway: Pathway | null;
    sealedNote: string | null;
    withdrawnAt: string;
  }
>;
export type NinetyOneDayFollowUpRecorded = DomainEvent<
  'NinetyOneDayFollowUpRecorded',
  {
    caseId: string;
    result: FollowUpResult;
    /** ASCOF 2B(1) numerator: at home, which includes extra-care housing. */
    countsAsAtHome: boolean;
    dueOn: LondonDate;
    sealedNote: string | null;
    recordedAt: string;
  }
>;
export type IdentityErased = DomainEvent<'IdentityErased', { caseId: string; patientId: string; erasedAt: string }>;
/** Raised by the day-91 deadline: the follow-up call is now due (and shows on the hub's worklist). */
export type NinetyOneDayFollowUpDue = DomainEvent<
  'NinetyOneDayFollowUpDue',
  { caseId: string; dueOn: LondonDate; raisedAt: string }
>;

export type DischargeCaseEvent =
  | ReferralSubmitted
  | ReferralAccepted
  | ReferralReturned
  | CriteriaToResideNotMet
  | CriteriaToResideMetAgain
  | PathwayAssigned
  | DelayOpened
  | DelayClosed
  | PrimaryDelayChanged
  | PlacementArranged
  | PatientDischarged
  | CaseWithdrawn
  | NinetyOneDayFollowUpRecorded
  | NinetyOneDayFollowUpDue
  | IdentityErased;

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export type SubmitReferral = Command<
  'SubmitReferral',
  {
    caseId: string;
    patientId: string;
    hospital: string;
    ward: string;
    admittedOn: LondonDate;
    area: string;
    usualResidence: UsualResidence;
    ageBand: string;
    proposedPathway: Pathway;
    needs: Needs;
    sealedNote?: string;
  }
>;
export type AcceptReferral = Command<'AcceptReferral', { caseId: string }>;
export type ReturnReferral = Command<'ReturnReferral', { caseId: string; reason: ReturnReason; sealedNote?: string }>;
export type RecordCriteriaToResideNotMet = Command<'RecordCriteriaToResideNotMet', { caseId: string; from: LondonDate }>;
export type RecordCriteriaToResideMetAgain = Command<'RecordCriteriaToResideMetAgain', { caseId: string; on: LondonDate }>;
export type AssignPathway = Command<
  'AssignPathway',
  {
    caseId: string;
    pathway: Pathway;
    reason: PathwayReason;
    /** Required for P1. */
    homeCareNeeded?: boolean;
    /** Required for P2 (rehab…interim) and P3 (nursing | residential). */
    bedCategory?: BedCategory;
    /** Required for P2. */
    intentionToReturnHome?: boolean;
  }
>;
export type OpenDelay = Command<
  'OpenDelay',
  { caseId: string; delayId: string; reasonCode: string; reasonVersion: string; makePrimary?: boolean; sealedNote?: string }
>;
export type CloseDelay = Command<
  'CloseDelay',
  { caseId: string; delayId: string; nextPrimaryDelayId?: string; sealedNote?: string }
>;
export type MakeDelayPrimary = Command<'MakeDelayPrimary', { caseId: string; delayId: string }>;
export type ArrangePlacement = Command<'ArrangePlacement', { caseId: string; source: PlacementSource; sourceId: string }>;
export type RecordDischarge = Command<'RecordDischarge', { caseId: string; dischargedAt: string; destination: string }>;
export type WithdrawCase = Command<'WithdrawCase', { caseId: string; reason: WithdrawalReason; sealedNote?: string }>;
export type RecordNinetyOneDayFollowUp = Command<
  'RecordNinetyOneDayFollowUp',
  { caseId: string; result: FollowUpResult; sealedNote?: string }
>;
export type EraseIdentity = Command<'EraseIdentity', { caseId: string }>;
/** Sent by the durable deadline on day 91; a repeat or a late firing decides nothing. */
export type RaiseNinetyOneDayFollowUp = Command<'RaiseNinetyOneDayFollowUp', { caseId: string }>;

export type DischargeCaseCommand =
  | SubmitReferral
  | AcceptReferral
  | ReturnReferral
  | RecordCriteriaToResideNotMet
  | RecordCriteriaToResideMetAgain
  | AssignPathway
  | OpenDelay
  | CloseDelay
  | MakeDelayPrimary
  | ArrangePlacement
  | RecordDischarge
  | WithdrawCase
  | RecordNinetyOneDayFollowUp
  | RaiseNinetyOneDayFollowUp
  | EraseIdentity;

// ─── State ──────────────────────────────────────────────────────────────────────────────────────────────

export interface OpenDelayState {
  delayId: string;
  reasonCode: string;
  reasonVersion: string;
  openedAt: string;
  primary: boolean;
}

export interface CaseFacts {
  caseId: string;
  patientId: string;
  hospital: string;
  admittedOn: LondonDate;
  ageBand: string;
  submittedAt: string;
  plan: PathwayPlan | null;
  /** The current NCTR period's start (the DRD); null while the person meets CTR. */
  nctrFrom: LondonDate | null;
  /** The day the person last met CTR again; a new NCTR period cannot start before it. */
  lastMetAgainOn: LondonDate | null;
  /** Open delays in the order they opened. */
  delays: readonly OpenDelayState[];
  /** Ids of delays already closed, so an id is never reused. */
  closedDelayIds: readonly string[];
  /** `${source}:${sourceId}` of placements already recorded. */
  placements: readonly string[];
  identityErased: boolean;
}

export interface DischargedFacts {
  dischargedAt: string;
  followUpDueOn: LondonDate | null;
  followUpRaised: boolean;
  followUpRecorded: boolean;
}

/** By status: referred and accepted cases are open; returned, withdrawn and discharged ones take no new care facts. */
export type DischargeCase =
  | { status: 'none' }
  | (CaseFacts & { status: 'referred' })
  | (CaseFacts & { status: 'accepted' })
  | (CaseFacts & { status: 'returned' })
  | (CaseFacts & { status: 'withdrawn' })
  | (CaseFacts & DischargedFacts & { status: 'discharged' });

type ExistingCase = Exclude<DischargeCase, { status: 'none' }>;
type OpenCase = Extract<DischargeCase, { status: 'referred' | 'accepted' }>;

export const initialDischargeCase = (): DischargeCase => ({ status: 'none' });

// ─── Evolve ─────────────────────────────────────────────────────────────────────────────────────────────

const closeDelay = (state: ExistingCase, delayId: string, promotedDelayId: string | null): ExistingCase => ({
  ...state,
  delays: state.delays
    .filter((delay) => delay.delayId !== delayId)
    .map((delay) => (delay.delayId === promotedDelayId ? { ...delay, primary: true } : delay)),
  closedDelayIds: [...state.closedDelayIds, delayId],
});

const planOf = (data: PathwayPlan): PathwayPlan => ({
  pathway: data.pathway,
  homeCareNeeded: data.homeCareNeeded,
  bedCategory: data.bedCategory,
  intentionToReturnHome: data.intentionToReturnHome,
});

/** Pure and total, so the hub's projections can reuse it. Events for a case that does not exist are ignored. */
export const evolve = (state: DischargeCase, event: DischargeCaseEvent): DischargeCase => {
  if (event.type === 'ReferralSubmitted') {
    const { caseId, patientId, hospital, admittedOn, ageBand, submittedAt } = event.data;
    return {
      status: 'referred',
      caseId,
      patientId,
      hospital,
      admittedOn,
      ageBand,
      submittedAt,
      plan: null,
      nctrFrom: null,
      lastMetAgainOn: null,
      delays: [],
      closedDelayIds: [],
      placements: [],
      identityErased: false,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ReferralAccepted':
      return { ...state, status: 'accepted' };
    case 'ReferralReturned':
      return { ...state, status: 'returned' };
    case 'CriteriaToResideNotMet':
      return { ...state, nctrFrom: event.data.from };
    case 'CriteriaToResideMetAgain':
      return { ...state, nctrFrom: null, lastMetAgainOn: event.data.on };
    case 'PathwayAssigned':
      return { ...state, plan: planOf(event.data) };
    case 'DelayOpened': {
      const { delayId, reasonCode, reasonVersion, openedAt, primary } = event.data;
      return { ...state, delays: [...state.delays, { delayId, reasonCode, reasonVersion, openedAt, primary }] };
    }
    case 'DelayClosed':
      return closeDelay(state, event.data.delayId, event.data.promotedDelayId);
    case 'PrimaryDelayChanged':
      return {
        ...state,
        delays: state.delays.map((delay) => ({ ...delay, primary: delay.delayId === event.data.primaryDelayId })),
      };
    case 'PlacementArranged':
      return { ...state, placements: [...state.placements, placementKey(event.data.source, event.data.sourceId)] };
    case 'PatientDischarged':
      return {
        ...state,
        status: 'discharged',
        plan: planOf(event.data),
        dischargedAt: event.data.dischargedAt,
        followUpDueOn: event.data.followUpDueOn,
        followUpRaised: false,
        followUpRecorded: false,
      };
    case 'CaseWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'NinetyOneDayFollowUpRecorded':
      return state.status === 'discharged' ? { ...state, followUpRecorded: true } : state;
    case 'NinetyOneDayFollowUpDue':
      return state.status === 'discharged' ? { ...state, followUpRaised: true } : state;
    case 'IdentityErased':
      return { ...state, identityErased: true };
    default:
      return assertNever(event);
  }
};

// ─── Decide ─────────────────────────────────────────────────────────────────────────────────────────────

const refuse = (code: string, message: string, kind: DomainRefusal['kind'] = 'unprocessable', details = {}) =>
  new DomainRefusal(code, message, kind, details);

const placementKey = (source: PlacementSource, sourceId: string) => `${source}:${sourceId}`;

const assertRole = (actor: Actor, roles: readonly Role[], what: string): void => {
  if (!roles.includes(actor.role)) {
    throw refuse('ROLE_NOT_PERMITTED', `Only ${roles.join(' or ')} users may ${what}`, 'forbidden');
  }
};

/** Ward users of the case's own trust, the hub, and process managers (system). */
const assertMayActOnCase = (actor: Actor, state: ExistingCase, what: string): void => {
  assertRole(actor, ['ward', 'hub', 'system'], what);
  assertInScope(actor, { hospital: state.hospital });
};

const mayAct = (state: DischargeCase, actor: Actor, what: string): ExistingCase => {
  const found = existing(state);
  assertMayActOnCase(actor, found, what);
  return found;
};

const existing = (state: DischargeCase): ExistingCase => {
  if (state.status === 'none') throw refuse('CASE_NOT_FOUND', 'There is no such discharge case', 'not_found');
  return state;
};

const open = (state: DischargeCase): OpenCase => {
  const found = existing(state);
  if (found.status === 'referred' || found.status === 'accepted') return found;
  if (found.status === 'discharged') throw refuse('ALREADY_DISCHARGED', 'The patient has already been discharged', 'conflict');
  throw refuse('CASE_CLOSED', `The case is ${found.status}`, 'conflict', { status: found.status });
};

const today = (now: string): LondonDate => londonDate(now);

const assertDate = (value: string, field: string): void => {
  if (!isLondonDate(value)) throw refuse('INVALID_DATE', `${field} must be a calendar date (YYYY-MM-DD)`, 'unprocessable');
};

const assertNotFuture = (date: LondonDate, now: string, field: string): void => {
  if (londonDaysBetween(today(now), date) > 0) throw refuse('DATE_IN_FUTURE', `${field} cannot be in the future`);
};

/** A sealed note is ciphertext under the patient's key; once that key is destroyed no new note can be kept. */
const noteFor = (state: ExistingCase | null, sealedNote: string | undefined): string | null => {
  if (sealedNote === undefined || sealedNote === null) return null;
  if (state?.identityErased) {
    throw refuse('IDENTITY_ERASED', "The patient's identity was erased: free-text notes can no longer be kept");
  }
  return sealedNote;
};

const primaryOf = (state: ExistingCase) => state.delays.find((delay) => delay.primary);

/** Closes every open delay, the primary last, so that exactly one stays primary while any is open. */
const closeAllDelays = (state: ExistingCase, closure: DelayClosure, closedAt: string): DelayClosed[] =>
  [...state.delays.filter((d) => !d.primary), ...state.delays.filter((d) => d.primary)].map((delay) => ({
    type: 'DelayClosed',
    data: { caseId: state.caseId, delayId: delay.delayId, closure, promotedDelayId: null, sealedNote: null, closedAt },
  }));

const planFrom = (data: AssignPathway['data']): PathwayPlan => {
  const { pathway, homeCareNeeded, bedCategory, intentionToReturnHome } = data;
  const missing = (field: string) =>
    refuse('PATHWAY_DETAILS_REQUIRED', `Pathway ${pathway} needs ${field}`, 'unprocessable', { field });
  switch (pathway) {
    case 0:
      return { pathway, homeCareNeeded: null, bedCategory: null, intentionToReturnHome: null };
    case 1:
      if (typeof homeCareNeeded !== 'boolean') throw missing('homeCareNeeded');
      return { pathway, homeCareNeeded, bedCategory: null, intentionToReturnHome: null };
    case 2:
      if (!bedCategory || !(P2_BED_CATEGORIES as readonly string[]).includes(bedCategory)) {
        throw missing(`bedCategory (one of ${P2_BED_CATEGORIES.join(', ')})`);
      }
      if (typeof intentionToReturnHome !== 'boolean') throw missing('intentionToReturnHome');
      return { pathway, homeCareNeeded: null, bedCategory, intentionToReturnHome };
    case 3:
      if (!bedCategory || !(P3_BED_CATEGORIES as readonly string[]).includes(bedCategory)) {
        throw missing(`bedCategory (one of ${P3_BED_CATEGORIES.join(', ')})`);
      }
      return { pathway, homeCareNeeded: null, bedCategory, intentionToReturnHome: null };
    default:
      throw refuse('UNKNOWN_PATHWAY', `Unknown pathway ${String(pathway)}`);
  }
};

const samePlan = (a: PathwayPlan, b: PathwayPlan) =>
  a.pathway === b.pathway &&
  a.homeCareNeeded === b.homeCareNeeded &&
  a.bedCategory === b.bedCategory &&
  a.intentionToReturnHome === b.intentionToReturnHome;

const inFollowUpCohort = (rules: DischargeRules, ageBand: string, plan: PathwayPlan): boolean =>
  rules.isAgeBand65OrOver(ageBand) &&
  (plan.pathway === 1 ||
    (plan.pathway === 2 &&
      plan.bedCategory !== null &&
      ASCOF_P2_BED_CATEGORIES.includes(plan.bedCategory) &&
      plan.intentionToReturnHome === true));

export const decideDischargeCase =
  (rules: DischargeRules) =>
  (command: DischargeCaseCommand, state: DischargeCase): DischargeCaseEvent[] => {
    const { actor, now } = command.metadata;
    switch (command.type) {
      case 'SubmitReferral': {
        const data = command.data;
        assertRole(actor, ['ward', 'hub'], 'submit a referral');
        assertInScope(actor, { hospital: data.hospital });
        if (state.status !== 'none') throw refuse('CASE_EXISTS', 'This discharge case already exists', 'conflict');
        if (!isUuid(data.patientId)) throw refuse('INVALID_PATIENT_ID', 'patientId must be a pseudonymous UUID');
        const site = rules.siteOfWard(data.hospital, data.ward);
        if (!site) throw refuse('UNKNOWN_WARD', `Ward ${data.ward} is not a ward of ${data.hospital}`);
        if (!rules.isKnownArea(data.area)) throw refuse('UNKNOWN_AREA', `Unknown area ${data.area}`);
        if (!rules.isKnownAgeBand(data.ageBand)) throw refuse('UNKNOWN_AGE_BAND', `Unknown age band ${data.ageBand}`);
        if (!PATHWAYS.includes(data.proposedPathway)) throw refuse('UNKNOWN_PATHWAY', `Unknown pathway ${data.proposedPathway}`);
        assertDate(data.admittedOn, 'admittedOn');
        assertNotFuture(data.admittedOn, now, 'The admission date');
        const hours = data.needs.careHoursPerWeek;
        if (!Number.isFinite(hours) || hours < 0 || hours > 168) {
          throw refuse('INVALID_CARE_HOURS', 'careHoursPerWeek must be between 0 and 168');
        }
        return [
          {
            type: 'ReferralSubmitted',
            data: {
              caseId: data.caseId,
              patientId: data.patientId,
              hospital: data.hospital,
              site,
              ward: data.ward,
              admittedOn: data.admittedOn,
              area: data.area,
              usualResidence: data.usualResidence,
              ageBand: data.ageBand,
              proposedPathway: data.proposedPathway,
              needs: data.needs,
              sealedNote: noteFor(null, data.sealedNote),
              submittedAt: now,
            },
          },
        ];
      }

      case 'AcceptReferral':
      case 'ReturnReferral': {
        assertRole(actor, ['hub'], 'accept or return a referral');
        const found = existing(state);
        if (found.status !== 'referred') {
          throw refuse('REFERRAL_NOT_AWAITING_RESPONSE', `The referral is ${found.status}, not awaiting a response`, 'conflict');
        }
        if (command.type === 'AcceptReferral') {
          return [{ type: 'ReferralAccepted', data: { caseId: found.caseId, submittedAt: found.submittedAt, acceptedAt: now } }];
        }
        const note = noteFor(found, command.data.sealedNote);
        return [
          ...closeAllDelays(found, 'referral-returned', now),
          {
            type: 'ReferralReturned',
            data: {
              caseId: found.caseId,
              patientId: found.patientId,
              reason: command.data.reason,
              sealedNote: note,
              submittedAt: found.submittedAt,
              returnedAt: now,
            },
          },
        ];
      }

      case 'RecordCriteriaToResideNotMet': {
        const found = open(mayAct(state, actor, 'record criteria to reside'));
        const { from } = command.data;
        assertDate(from, 'from');
        if (found.nctrFrom !== null) {
          throw refuse(
            'ALREADY_NOT_MEETING_CTR',
            `The patient has not met the criteria to reside since ${found.nctrFrom}`,
            'conflict',
          );
        }
        assertNotFuture(from, now, 'The date criteria to reside stopped being met');
        if (londonDaysBetween(found.admittedOn, from) < 0) {
          throw refuse('DATE_BEFORE_ADMISSION', 'Criteria to reside cannot stop being met before admission');
        }
        if (found.lastMetAgainOn !== null && londonDaysBetween(found.lastMetAgainOn, from) < 0) {
          throw refuse('DATE_BEFORE_PREVIOUS_PERIOD_ENDED', `A new NCTR period cannot start before ${found.lastMetAgainOn}`);
        }
        return [{ type: 'CriteriaToResideNotMet', data: { caseId: found.caseId, from, recordedAt: now } }];
      }

      case 'RecordCriteriaToResideMetAgain': {
        const found = open(mayAct(state, actor, 'record criteria to reside'));
        const { on } = command.data;
        assertDate(on, 'on');
        if (found.nctrFrom === null)
          throw refuse('CTR_ALREADY_MET', 'The patient already meets the criteria to reside', 'conflict');
        assertNotFuture(on, now, 'The date criteria to reside were met again');
        if (londonDaysBetween(found.nctrFrom, on) < 0) {
          throw refuse('DATE_BEFORE_NCTR_PERIOD', `The NCTR period started on ${found.nctrFrom}`);
        }
        return [
          ...closeAllDelays(found, 'criteria-to-reside-met-again', now),
          {
            type: 'CriteriaToResideMetAgain',
            data: { caseId: found.caseId, on, endedPeriodFrom: found.nctrFrom, recordedAt: now },
          },
        ];
      }

      case 'AssignPathway': {
        const found = open(mayAct(state, actor, 'assign a pathway'));
        const plan = planFrom(command.data);
        if (actor.role === 'ward' && (plan.pathway !== 0 || (found.plan !== null && found.plan.pathway !== 0))) {
          throw refuse(
            'PATHWAY_NEEDS_HUB',
            'Only the hub assigns or changes pathways 1–3; a ward may record pathway 0',
            'forbidden',
          );
        }
        if (found.plan !== null && samePlan(found.plan, plan)) return [];
        return [
          {
            type: 'PathwayAssigned',
            data: {
              caseId: found.caseId,
              ...plan,
              reason: command.data.reason,
              assignedAt: now,
              previousPathway: found.plan?.pathway ?? null,
              previous: found.plan,
            },
          },
        ];
      }

      case 'OpenDelay': {
        const found = open(mayAct(state, actor, 'open a delay'));
        const { delayId, reasonCode, reasonVersion, makePrimary } = command.data;
        if (found.nctrFrom === null) {
          throw refuse('CTR_MET', 'A delay can only be open while the patient does not meet the criteria to reside');
        }
        if (found.delays.some((d) => d.delayId === delayId) || found.closedDelayIds.includes(delayId)) {
          throw refuse('DELAY_EXISTS', `Delay ${delayId} already exists`, 'conflict');
        }
        if (!rules.isCurrentDelayReason(reasonCode, reasonVersion)) {
          throw refuse('UNKNOWN_DELAY_REASON', `${reasonCode} (${reasonVersion}) is not a reason on the current national list`);
        }
        if (found.delays.some((d) => d.reasonCode === reasonCode)) {
          throw refuse('DELAY_REASON_ALREADY_OPEN', `A delay for ${reasonCode} is already open`, 'conflict');
        }
        const previousPrimary = primaryOf(found);
        const opened: DelayOpened = {
          type: 'DelayOpened',
          data: {
            caseId: found.caseId,
            delayId,
            reasonCode,
            reasonVersion,
            primary: previousPrimary === undefined,
            sealedNote: noteFor(found, command.data.sealedNote),
            openedAt: now,
          },
        };
        if (!makePrimary || previousPrimary === undefined) return [opened];
        return [
          opened,
          {
            type: 'PrimaryDelayChanged',
            data: {
              caseId: found.caseId,
              primaryDelayId: delayId,
              previousPrimaryDelayId: previousPrimary.delayId,
              changedAt: now,
            },
          },
        ];
      }

      case 'CloseDelay': {
        const found = open(mayAct(state, actor, 'close a delay'));
        const { delayId, nextPrimaryDelayId } = command.data;
        const delay = found.delays.find((d) => d.delayId === delayId);
        if (!delay) {
          if (found.closedDelayIds.includes(delayId))
            throw refuse('DELAY_ALREADY_CLOSED', `Delay ${delayId} is closed`, 'conflict');
          throw refuse('DELAY_NOT_FOUND', `No delay ${delayId} on this case`, 'not_found');
        }
        const others = found.delays.filter((d) => d.delayId !== delayId);
        let promotedDelayId: string | null = null;
        if (nextPrimaryDelayId !== undefined) {
          if (!delay.primary) {
            throw refuse('NEXT_PRIMARY_NOT_APPLICABLE', 'Only closing the primary delay names the next primary');
          }
          if (!others.some((d) => d.delayId === nextPrimaryDelayId)) {
            throw refuse('NEXT_PRIMARY_NOT_OPEN', `Delay ${nextPrimaryDelayId} is not another open delay on this case`);
          }
          promotedDelayId = nextPrimaryDelayId;
        } else if (delay.primary && others.length > 0) {
          // The longest-open delay; the list is in opening order, so the first of the others.
          promotedDelayId = others[0].delayId;
        }
        return [
          {
            type: 'DelayClosed',
            data: {
              caseId: found.caseId,
              delayId,
              closure: 'resolved',
              promotedDelayId,
              sealedNote: noteFor(found, command.data.sealedNote),
              closedAt: now,
            },
          },
        ];
      }

      case 'MakeDelayPrimary': {
        const found = open(mayAct(state, actor, 'change the primary delay'));
        const delay = found.delays.find((d) => d.delayId === command.data.delayId);
        if (!delay) throw refuse('DELAY_NOT_FOUND', `No open delay ${command.data.delayId} on this case`, 'not_found');
        const previous = primaryOf(found);
        if (delay.primary || !previous) return [];
        return [
          {
            type: 'PrimaryDelayChanged',
            data: {
              caseId: found.caseId,
              primaryDelayId: delay.delayId,
              previousPrimaryDelayId: previous.delayId,
              changedAt: now,
            },
          },
        ];
      }

      case 'ArrangePlacement': {
        assertRole(actor, ['hub', 'system'], 'record an arranged placement');
        const found = existing(state);
        const { source, sourceId } = command.data;
        if (found.placements.includes(placementKey(source, sourceId))) return [];
        const live = open(found);
        const fits =
          source === 'home-care-package' ? live.plan?.pathway === 1 : live.plan?.pathway === 2 || live.plan?.pathway === 3;
        if (!live.plan || !fits) {
          throw refuse('PLACEMENT_DOES_NOT_FIT_PATHWAY', `A ${source} does not fit the case's current pathway`, 'unprocessable', {
            pathway: live.plan?.pathway ?? null,
          });
        }
        return [
          {
            type: 'PlacementArranged',
            data: { caseId: live.caseId, source, sourceId, pathway: live.plan.pathway, arrangedAt: now },
          },
        ];
      }

      case 'RecordDischarge': {
        const found = open(mayAct(state, actor, 'record a discharge'));
        const { dischargedAt, destination } = command.data;
        if (!found.plan) throw refuse('PATHWAY_NOT_ASSIGNED', 'A discharge needs a pathway: assign one first');
        let dischargedOn: LondonDate;
        try {
          dischargedOn = londonDate(parseInstant(dischargedAt));
        } catch {
          throw refuse('INVALID_DATE', 'dischargedAt must be an ISO 8601 instant with Z or an offset');
        }
        assertNotFuture(dischargedOn, now, 'The discharge');
        if (londonDaysBetween(found.admittedOn, dischargedOn) < 0) {
          throw refuse('DISCHARGE_BEFORE_ADMISSION', `The patient was admitted on ${found.admittedOn}`);
        }
        if (!rules.destinationsAllowedForPathway(found.plan.pathway).includes(destination)) {
          throw refuse(
            'DESTINATION_NOT_ALLOWED_FOR_PATHWAY',
            `Discharge destination ${destination} is not allowed on pathway ${found.plan.pathway}`,
            'unprocessable',
            { destination, pathway: found.plan.pathway },
          );
        }
        const dischargeReadyDate = found.nctrFrom;
        const delayDays = dischargeReadyDate === null ? 0 : londonDaysBetween(dischargeReadyDate, dischargedOn);
        if (delayDays < 0) throw refuse('DISCHARGE_BEFORE_DRD', `The discharge ready date is ${dischargeReadyDate}`);
        const followUpDueOn = inFollowUpCohort(rules, found.ageBand, found.plan)
          ? dayNumberAfter(dischargedAt, FOLLOW_UP_DAY)
          : null;
        return [
          ...closeAllDelays(found, 'discharged', dischargedAt),
          {
            type: 'PatientDischarged',
            data: {
              caseId: found.caseId,
              patientId: found.patientId,
              ...found.plan,
              dischargedAt,
              dischargedOn,
              destination,
              dischargeReadyDate,
              delayDays,
              ageBand: found.ageBand,
              followUpDueOn,
              recordedAt: now,
            },
          },
        ];
      }

      case 'WithdrawCase': {
        const found = mayAct(state, actor, 'withdraw a case');
        if (found.status === 'withdrawn') throw refuse('ALREADY_WITHDRAWN', 'The case has already been withdrawn', 'conflict');
        const live = open(found);
        const note = noteFor(live, command.data.sealedNote);
        return [
          ...closeAllDelays(live, 'withdrawn', now),
          {
            type: 'CaseWithdrawn',
            data: {
              caseId: live.caseId,
              patientId: live.patientId,
              reason: command.data.reason,
              pathway: live.plan?.pathway ?? null,
              sealedNote: note,
              withdrawnAt: now,
            },
          },
        ];
      }

      case 'RecordNinetyOneDayFollowUp': {
        assertRole(actor, ['hub', 'system'], 'record the 91-day follow-up');
        const found = existing(state);
        if (found.status !== 'discharged') throw refuse('NOT_DISCHARGED', 'The follow-up is recorded after discharge');
        if (found.followUpDueOn === null) {
          throw refuse('NOT_IN_FOLLOW_UP_COHORT', 'This discharge is outside the ASCOF 2B(1) follow-up cohort');
        }
        if (found.followUpRecorded)
          throw refuse('FOLLOW_UP_ALREADY_RECORDED', 'The 91-day follow-up is already recorded', 'conflict');
        if (londonDaysBetween(found.followUpDueOn, today(now)) < 0) {
          throw refuse('FOLLOW_UP_NOT_YET_DUE', `The follow-up is due on ${found.followUpDueOn}`);
        }
        const { result } = command.data;
        return [
          {
            type: 'NinetyOneDayFollowUpRecorded',
            data: {
              caseId: found.caseId,
              result,
              countsAsAtHome: result === 'at-home',
              dueOn: found.followUpDueOn,
              sealedNote: noteFor(found, command.data.sealedNote),
              recordedAt: now,
            },
          },
        ];
      }

      case 'RaiseNinetyOneDayFollowUp': {
        assertRole(actor, ['system'], 'raise the 91-day follow-up');
        if (state.status !== 'discharged' || state.followUpDueOn === null || state.followUpRaised || state.followUpRecorded)
          return [];
        return [{ type: 'NinetyOneDayFollowUpDue', data: { caseId: state.caseId, dueOn: state.followUpDueOn, raisedAt: now } }];
      }

      case 'EraseIdentity': {
        assertRole(actor, ['hub', 'admin'], 'erase an identity');
        const found = existing(state);
        if (found.identityErased) return [];
        return [{ type: 'IdentityErased', data: { caseId: found.caseId, patientId: found.patientId, erasedAt: now } }];
      }

      default:
        return assertNever(command);
    }
  };

export const createDischargeCaseDecider = (
  rules: DischargeRules,
): Decider<DischargeCase, DischargeCaseCommand, DischargeCaseEvent> => ({
  initialState: initialDischargeCase,
  evolve,
  decide: decideDischargeCase(rules),
});
