import {
  assertNever,
  deterministicUuid,
  DomainRefusal,
  isUuid,
  type Actor,
  type Command,
  type Decider,
  type DomainEvent,
  type RefusalKind,
  type Role,
} from '@app/event-sourcing';
import { P2_BED_CATEGORIES, type Needs, type P2BedCategory } from '@app/discharge';
import { londonDate, londonDaysBetween, isLondonDate, type LondonDate } from '@app/time';

/**
 * A community referral to the hub: a step-up (admission avoidance) or an end-of-life request. No hospital
 * stay, no DRD, no discharge, and no pathway share: one stream per referral, `communityReferral-<id>`.
 */

// ─── Codes ──────────────────────────────────────────────────────────────────────────────────────────────

export const REFERRAL_KINDS = ['step-up', 'end-of-life'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export const REFERRAL_SOURCES = ['gp', 'rapid-response', 'community-team', 'hospice'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

/** `urgent` is the 2-hour urgent community response; `routine` has no response service level. */
export const URGENCIES = ['urgent', 'routine'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const TRIAGE_OUTCOMES = ['support-at-home', 'bed', 'signposted', 'declined'] as const;
export type TriageOutcome = (typeof TRIAGE_OUTCOMES)[number];

export const TRIAGE_REASONS = {
  'support-at-home': ['safe-at-home-with-support', 'preferred-place-of-care-home', 'reablement-at-home'],
  bed: ['needs-24-hour-care', 'preferred-place-of-care-bed', 'carer-breakdown', 'unsafe-at-home'],
  signposted: ['hospice-specialist-advice', 'primary-care', 'voluntary-sector', 'other-service'],
  declined: ['does-not-meet-criteria', 'needs-acute-admission', 'outside-hub-area', 'duplicate-referral', 'person-declined'],
} as const satisfies Record<TriageOutcome, readonly string[]>;
export type TriageReason = (typeof TRIAGE_REASONS)[TriageOutcome][number];

export const WITHDRAWAL_REASONS = [
  'died',
  'admitted-to-hospital',
  'no-longer-needed',
  'referrer-cancelled',
  'entered-in-error',
] as const;
export type ReferralWithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

export const CARE_OUTCOMES = ['admission-avoided', 'admitted-to-hospital', 'died', 'long-term-care'] as const;
export type CareOutcome = (typeof CARE_OUTCOMES)[number];

export const ARRANGEMENT_SOURCES = ['bed-reservation', 'home-care-package'] as const;
export type ArrangementSource = (typeof ARRANGEMENT_SOURCES)[number];

export type CareSetting = 'home' | 'bed';

/**
 * What the triage asked another context for: a bed request (bed base) or a package request (home care).
 * The id is derived from the referral and the triage's place in it, so the compensations that follow
 * (withdrawal, a new triage) name the request without a register.
 */
export interface CareRequest {
  setting: CareSetting;
  requestId: string;
}

export interface ServiceLevelSnapshot {
  id: string;
  withinMinutes: number;
}

/** The lists and service levels the decider needs, as plain data (see `communityReferralRulesFrom`). */
export interface CommunityReferralRules {
  isKnownArea(code: string): boolean;
  isKnownAgeBand(code: string): boolean;
  /** The response service level in force for this urgency, or null when none applies. */
  responseServiceLevel(urgency: Urgency): ServiceLevelSnapshot | null;
}

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export type CommunityReferralSubmitted = DomainEvent<
  'CommunityReferralSubmitted',
  {
    referralId: string;
    patientId: string;
    kind: ReferralKind;
    source: ReferralSource;
    /** ODS code of the referring practice, team or hospice. */
    referrerOrganisation: string;
    area: string;
    ageBand: string;
    needs: Needs;
    urgency: Urgency;
    /** The service level in force at submission, so a later change of configuration does not rewrite history. */
    serviceLevel: ServiceLevelSnapshot | null;
    respondBy: string | null;
    sealedNote: string | null;
    submittedAt: string;
  }
>;
export type CommunityReferralTriaged = DomainEvent<
  'CommunityReferralTriaged',
  {
    referralId: string;
    patientId: string;
    kind: ReferralKind;
    outcome: TriageOutcome;
    reason: TriageReason;
    area: string;
    needs: Needs;
    bedCategory: P2BedCategory | null;
    hoursPerWeek: number | null;
    /** What to ask for now; null for signposted, declined, or support at home with no package. */
    careRequest: CareRequest | null;
    /** The earlier triage's request that this one replaces: a process manager closes or cancels it. */
    supersedes: CareRequest | null;
    /** Signposted and declined close the referral. */
    closesReferral: boolean;
    submittedAt: string;
    triagedAt: string;
  }
>;
export type FirstResponseRecorded = DomainEvent<
  'FirstResponseRecorded',
  {
    referralId: string;
    kind: ReferralKind;
    urgency: Urgency;
    respondedAt: string;
    submittedAt: string;
    minutesToRespond: number;
    /** Null when no service level applies. */
    withinServiceLevel: boolean | null;
    recordedAt: string;
  }
>;
/** Raised by the durable deadline: no face-to-face response by the service level. */
export type ResponseServiceLevelBreached = DomainEvent<
  'ResponseServiceLevelBreached',
  { referralId: string; serviceLevelId: string; respondBy: string; raisedAt: string }
>;
export type CareArranged = DomainEvent<
  'CareArranged',
  { referralId: string; setting: CareSetting; requestId: string; source: ArrangementSource; sourceId: string; arrangedAt: string }
>;
export type CareStarted = DomainEvent<
  'CareStarted',
  {
    referralId: string;
    kind: ReferralKind;
    setting: CareSetting;
    requestId: string | null;
    startedAt: string;
    startedOn: LondonDate;
    submittedAt: string;
    /** London calendar days from referral to start. */
    daysFromReferral: number;
    recordedAt: string;
  }
>;
export type CareEnded = DomainEvent<
  'CareEnded',
  {
    referralId: string;
    patientId: string;
    kind: ReferralKind;
    setting: CareSetting;
    outcome: CareOutcome;
    startedOn: LondonDate;
    endedOn: LondonDate;
    recordedAt: string;
  }
>;
export type CommunityReferralWithdrawn = DomainEvent<
  'CommunityReferralWithdrawn',
  {
    referralId: string;
    patientId: string;
    kind: ReferralKind;
    reason: ReferralWithdrawalReason;
    /** The bed or package request still outstanding: a process manager closes or cancels it. */
    outstanding: CareRequest | null;
    sealedNote: string | null;
    withdrawnAt: string;
  }
>;

export type IntermediateCareReferralEvent =
  | CommunityReferralSubmitted
  | CommunityReferralTriaged
  | FirstResponseRecorded
  | ResponseServiceLevelBreached
  | CareArranged
  | CareStarted
  | CareEnded
  | CommunityReferralWithdrawn;

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export type SubmitCommunityReferral = Command<
  'SubmitCommunityReferral',
  {
    referralId: string;
    patientId: string;
    kind: ReferralKind;
    source: ReferralSource;
    referrerOrganisation: string;
    area: string;
    ageBand: string;
    needs: Needs;
    urgency: Urgency;
    sealedNote?: string;
  }
>;
export type TriageCommunityReferral = Command<
  'TriageCommunityReferral',
  {
    referralId: string;
    outcome: TriageOutcome;
    reason: string;
    /** For `bed`: defaults to end-of-life for an end-of-life request and step-down for a step-up. */
    bedCategory?: P2BedCategory;
    /** For `support-at-home`: defaults to the referral's care hours; 0 asks for no package. */
    hoursPerWeek?: number;
  }
>;
export type RecordFirstResponse = Command<'RecordFirstResponse', { referralId: string; respondedAt: string }>;
export type RaiseResponseBreach = Command<'RaiseResponseBreach', { referralId: string }>;
export type ArrangeCare = Command<
  'ArrangeCare',
  { referralId: string; requestId: string; source: ArrangementSource; sourceId: string }
>;
export type StartCare = Command<'StartCare', { referralId: string; startedAt: string }>;
export type EndCare = Command<'EndCare', { referralId: string; outcome: CareOutcome; endedOn: LondonDate }>;
export type WithdrawCommunityReferral = Command<
  'WithdrawCommunityReferral',
  { referralId: string; reason: ReferralWithdrawalReason; sealedNote?: string }
>;

export type IntermediateCareReferralCommand =
  | SubmitCommunityReferral
  | TriageCommunityReferral
  | RecordFirstResponse
  | RaiseResponseBreach
  | ArrangeCare
  | StartCare
  | EndCare
  | WithdrawCommunityReferral;

// ─── State ──────────────────────────────────────────────────────────────────────────────────────────────

export interface Triage {
  outcome: TriageOutcome;
  reason: TriageReason;
  bedCategory: P2BedCategory | null;
  hoursPerWeek: number | null;
  careRequest: CareRequest | null;
}

export interface ReferralFacts {
  referralId: string;
  patientId: string;
  kind: ReferralKind;
  source: ReferralSource;
  referrerOrganisation: string;
  area: string;
  ageBand: string;
  needs: Needs;
  urgency: Urgency;
  serviceLevel: ServiceLevelSnapshot | null;
  respondBy: string | null;
  submittedAt: string;
  triage: Triage | null;
  triageCount: number;
  respondedAt: string | null;
  breachRaised: boolean;
  /** `${source}:${sourceId}` of the arrangement for the current request, if any. */
  arrangedBy: string | null;
  startedAt: string | null;
  startedOn: LondonDate | null;
}

export type Closure =
  | { by: 'triage'; outcome: 'signposted' | 'declined' }
  | { by: 'withdrawal'; reason: ReferralWithdrawalReason }
  | { by: 'care-ended'; outcome: CareOutcome };

/** submitted → triaged (awaiting care) → active (care started) → closed; signposted/declined/withdrawn close early. */
export type IntermediateCareReferral =
  | { status: 'none' }
  | (ReferralFacts & { status: 'submitted' | 'triaged' | 'active' })
  | (ReferralFacts & { status: 'closed'; closure: Closure });

type Existing = Exclude<IntermediateCareReferral, { status: 'none' }>;
type Open = Extract<IntermediateCareReferral, { status: 'submitted' | 'triaged' | 'active' }>;

export const initialReferral = (): IntermediateCareReferral => ({ status: 'none' });

export const communityReferralStreamOf = (referralId: string) => `communityReferral-${referralId}`;

/** The id of the n-th triage's bed or package request (n from 1). */
export const careRequestIdFor = (referralId: string, triageNumber: number): string =>
  deterministicUuid(`community-referral:${referralId}:care-request:${triageNumber}`);

const arrangementKey = (source: ArrangementSource, sourceId: string) => `${source}:${sourceId}`;

// ─── Evolve ─────────────────────────────────────────────────────────────────────────────────────────────

export const evolve = (state: IntermediateCareReferral, event: IntermediateCareReferralEvent): IntermediateCareReferral => {
  if (event.type === 'CommunityReferralSubmitted') {
    const { sealedNote: _note, ...facts } = event.data;
    return {
      status: 'submitted',
      ...facts,
      triage: null,
      triageCount: 0,
      respondedAt: null,
      breachRaised: false,
      arrangedBy: null,
      startedAt: null,
      startedOn: null,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'CommunityReferralTriaged': {
      const { outcome, reason, bedCategory, hoursPerWeek, careRequest } = event.data;
      const triaged = {
        ...state,
        triage: { outcome, reason, bedCategory, hoursPerWeek, careRequest },
        triageCount: state.triageCount + 1,
        arrangedBy: null,
      };
      if (outcome === 'signposted' || outcome === 'declined') {
        return { ...triaged, status: 'closed', closure: { by: 'triage', outcome } };
      }
      return { ...triaged, status: 'triaged' };
    }
    case 'FirstResponseRecorded':
      return { ...state, respondedAt: event.data.respondedAt };
    case 'ResponseServiceLevelBreached':
      return { ...state, breachRaised: true };
    case 'CareArranged':
      return { ...state, arrangedBy: arrangementKey(event.data.source, event.data.sourceId) };
    case 'CareStarted':
      return { ...state, status: 'active', startedAt: event.data.startedAt, startedOn: event.data.startedOn };
    case 'CareEnded':
      return { ...state, status: 'closed', closure: { by: 'care-ended', outcome: event.data.outcome } };
    case 'CommunityReferralWithdrawn':
      return { ...state, status: 'closed', closure: { by: 'withdrawal', reason: event.data.reason } };
    default:
      return assertNever(event);
  }
};

// ─── Decide ─────────────────────────────────────────────────────────────────────────────────────────────

const refuse = (code: string, message: string, kind: RefusalKind = 'unprocessable', details: Record<string, unknown> = {}) =>
  new DomainRefusal(code, message, kind, details);

const assertRole = (actor: Actor, roles: readonly Role[], what: string): void => {
  if (!roles.includes(actor.role))
    throw refuse('ROLE_NOT_PERMITTED', `Only ${roles.join(' or ')} users may ${what}`, 'forbidden');
};

const assertOneOf = <T extends string>(list: readonly T[], value: string, field: string): T => {
  if (!(list as readonly string[]).includes(value)) {
    throw refuse('UNKNOWN_CODE', `${field} must be one of ${list.join(', ')}`, 'unprocessable', { field });
  }
  return value as T;
};

const existing = (state: IntermediateCareReferral): Existing => {
  if (state.status === 'none') throw refuse('REFERRAL_NOT_FOUND', 'There is no such community referral', 'not_found');
  return state;
};

const open = (state: IntermediateCareReferral): Open => {
  const found = existing(state);
  if (found.status === 'closed')
    throw refuse('REFERRAL_CLOSED', 'The referral is closed', 'conflict', { closure: found.closure });
  return found;
};

const instant = (value: string, field: string): number => {
  const ms = typeof value === 'string' && /(Z|[+-]\d\d:\d\d)$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw refuse('INVALID_INSTANT', `${field} must be an ISO 8601 instant with Z or an offset`, 'unprocessable', { field });
  return ms;
};

const assertBetweenReferralAndNow = (at: number, found: Existing, now: string, what: string): void => {
  if (at > Date.parse(now)) throw refuse('DATE_IN_FUTURE', `${what} cannot be in the future`);
  if (at < Date.parse(found.submittedAt)) throw refuse('BEFORE_REFERRAL', `${what} cannot come before the referral`);
};

const defaultBedCategory = (kind: ReferralKind): P2BedCategory => (kind === 'end-of-life' ? 'end-of-life' : 'step-down');

const triageFrom = (found: Open, data: TriageCommunityReferral['data']): Omit<Triage, 'careRequest'> => {
  const outcome = assertOneOf(TRIAGE_OUTCOMES, data.outcome, 'outcome');
  const reasons: readonly string[] = TRIAGE_REASONS[outcome];
  if (!reasons.includes(data.reason)) {
    throw refuse('REASON_NOT_FOR_OUTCOME', `A ${outcome} triage gives one of: ${reasons.join(', ')}`, 'unprocessable', {
      field: 'reason',
    });
  }
  const reason = data.reason as TriageReason;
  if (outcome === 'bed') {
    const bedCategory = data.bedCategory ?? defaultBedCategory(found.kind);
    assertOneOf(P2_BED_CATEGORIES, bedCategory, 'bedCategory');
    if (found.kind === 'end-of-life' && bedCategory !== 'end-of-life') {
      throw refuse('END_OF_LIFE_NEEDS_END_OF_LIFE_BED', 'An end-of-life request is met in an end-of-life bed');
    }
    if (data.hoursPerWeek !== undefined) throw refuse('HOURS_NOT_FOR_BED', 'hoursPerWeek is for support at home');
    return { outcome, reason, bedCategory, hoursPerWeek: null };
  }
  if (data.bedCategory !== undefined) throw refuse('BED_CATEGORY_NOT_FOR_OUTCOME', 'bedCategory is for a bed');
  if (outcome === 'support-at-home') {
    const hoursPerWeek = data.hoursPerWeek ?? found.needs.careHoursPerWeek;
    if (!Number.isFinite(hoursPerWeek) || hoursPerWeek < 0 || hoursPerWeek > 168) {
      throw refuse('INVALID_CARE_HOURS', 'hoursPerWeek must be between 0 and 168');
    }
    return { outcome, reason, bedCategory: null, hoursPerWeek };
  }
  if (data.hoursPerWeek !== undefined) throw refuse('HOURS_NOT_FOR_OUTCOME', 'hoursPerWeek is for support at home');
  return { outcome, reason, bedCategory: null, hoursPerWeek: null };
};

const sameTriage = (a: Triage, b: Omit<Triage, 'careRequest'>) =>
  a.outcome === b.outcome && a.reason === b.reason && a.bedCategory === b.bedCategory && a.hoursPerWeek === b.hoursPerWeek;

const requestFor = (found: Open, triage: Omit<Triage, 'careRequest'>): CareRequest | null => {
  const requestId = careRequestIdFor(found.referralId, found.triageCount + 1);
  if (triage.outcome === 'bed') return { setting: 'bed', requestId };
  if (triage.outcome === 'support-at-home' && (triage.hoursPerWeek ?? 0) > 0) return { setting: 'home', requestId };
  return null;
};

const settingOf = (triage: Triage | null): CareSetting | null =>
  triage?.outcome === 'bed' ? 'bed' : triage?.outcome === 'support-at-home' ? 'home' : null;

export const decideReferral =
  (rules: CommunityReferralRules) =>
  (command: IntermediateCareReferralCommand, state: IntermediateCareReferral): IntermediateCareReferralEvent[] => {
    const { actor, now } = command.metadata;
    switch (command.type) {
      case 'SubmitCommunityReferral': {
        // Referrers phone or message the hub, the single point of access: the hub records the referral.
        assertRole(actor, ['hub'], 'record a community referral');
        const data = command.data;
        if (state.status !== 'none') throw refuse('REFERRAL_EXISTS', 'This community referral already exists', 'conflict');
        if (!isUuid(data.patientId)) throw refuse('INVALID_PATIENT_ID', 'patientId must be a pseudonymous UUID');
        const kind = assertOneOf(REFERRAL_KINDS, data.kind, 'kind');
        const source = assertOneOf(REFERRAL_SOURCES, data.source, 'source');
        const urgency = assertOneOf(URGENCIES, data.urgency, 'urgency');
        if (!rules.isKnownArea(data.area)) throw refuse('UNKNOWN_AREA', `Unknown area ${data.area}`);
        if (!rules.isKnownAgeBand(data.ageBand)) throw refuse('UNKNOWN_AGE_BAND', `Unknown age band ${data.ageBand}`);
        const hours = data.needs.careHoursPerWeek;
        if (!Number.isFinite(hours) || hours < 0 || hours > 168) {
          throw refuse('INVALID_CARE_HOURS', 'careHoursPerWeek must be between 0 and 168');
        }
        const serviceLevel = rules.responseServiceLevel(urgency);
        return [
          {
            type: 'CommunityReferralSubmitted',
            data: {
              referralId: data.referralId,
              patientId: data.patientId,
              kind,
              source,
              referrerOrganisation: data.referrerOrganisation,
              area: data.area,
              ageBand: data.ageBand,
              needs: data.needs,
              urgency,
              serviceLevel,
              respondBy: serviceLevel ? new Date(Date.parse(now) + serviceLevel.withinMinutes * 60_000).toISOString() : null,
              sealedNote: data.sealedNote ?? null,
              submittedAt: now,
            },
          },
        ];
      }

      case 'TriageCommunityReferral': {
        assertRole(actor, ['hub'], 'triage a community referral');
        const found = open(state);
        if (found.status === 'active') {
          throw refuse('CARE_STARTED', 'Care has started: end it with an outcome instead of triaging again', 'conflict');
        }
        const triage = triageFrom(found, command.data);
        if (found.triage && sameTriage(found.triage, triage)) return [];
        const closesReferral = triage.outcome === 'signposted' || triage.outcome === 'declined';
        return [
          {
            type: 'CommunityReferralTriaged',
            data: {
              referralId: found.referralId,
              patientId: found.patientId,
              kind: found.kind,
              ...triage,
              area: found.area,
              needs: found.needs,
              careRequest: requestFor(found, triage),
              supersedes: found.triage?.careRequest ?? null,
              closesReferral,
              submittedAt: found.submittedAt,
              triagedAt: now,
            },
          },
        ];
      }

      case 'RecordFirstResponse': {
        assertRole(actor, ['hub'], 'record the first response');
        const found = open(state);
        if (found.respondedAt !== null) {
          throw refuse('RESPONSE_ALREADY_RECORDED', `The first response was at ${found.respondedAt}`, 'conflict');
        }
        const at = instant(command.data.respondedAt, 'respondedAt');
        assertBetweenReferralAndNow(at, found, now, 'The first response');
        const respondedAt = new Date(at).toISOString();
        return [
          {
            type: 'FirstResponseRecorded',
            data: {
              referralId: found.referralId,
              kind: found.kind,
              urgency: found.urgency,
              respondedAt,
              submittedAt: found.submittedAt,
              minutesToRespond: Math.floor((at - Date.parse(found.submittedAt)) / 60_000),
              withinServiceLevel: found.respondBy === null ? null : at <= Date.parse(found.respondBy),
              recordedAt: now,
            },
          },
        ];
      }

      case 'RaiseResponseBreach': {
        assertRole(actor, ['system'], 'raise a response breach');
        // A deadline fires at least once: late, repeated, or after the response, it decides nothing.
        if (state.status === 'none' || state.status === 'closed') return [];
        if (state.respondBy === null || state.serviceLevel === null || state.respondedAt !== null || state.breachRaised)
          return [];
        if (Date.parse(now) < Date.parse(state.respondBy)) return [];
        return [
          {
            type: 'ResponseServiceLevelBreached',
            data: {
              referralId: state.referralId,
              serviceLevelId: state.serviceLevel.id,
              respondBy: state.respondBy,
              raisedAt: now,
            },
          },
        ];
      }

      case 'ArrangeCare': {
        assertRole(actor, ['system', 'hub'], 'record arranged care');
        const { requestId, source, sourceId } = command.data;
        assertOneOf(ARRANGEMENT_SOURCES, source, 'source');
        const found = existing(state);
        if (found.arrangedBy === arrangementKey(source, sourceId)) return [];
        const live = open(found);
        const request = live.triage?.careRequest ?? null;
        if (live.status !== 'triaged' || request === null || request.requestId !== requestId) {
          throw refuse(
            'NOT_THE_CURRENT_CARE_REQUEST',
            'This referral is not waiting on that bed or package request',
            'unprocessable',
            {
              requestId,
            },
          );
        }
        if ((source === 'bed-reservation') !== (request.setting === 'bed')) {
          throw refuse('ARRANGEMENT_DOES_NOT_FIT', `A ${source} does not meet a ${request.setting} request`);
        }
        return [
          {
            type: 'CareArranged',
            data: { referralId: live.referralId, setting: request.setting, requestId, source, sourceId, arrangedAt: now },
          },
        ];
      }

      case 'StartCare': {
        assertRole(actor, ['hub'], 'record the start of care');
        const found = open(state);
        if (found.status === 'active') throw refuse('CARE_ALREADY_STARTED', `Care started at ${found.startedAt}`, 'conflict');
        const setting = settingOf(found.triage);
        if (found.status !== 'triaged' || setting === null) {
          throw refuse('NOT_TRIAGED_FOR_CARE', 'Care starts after a triage to support at home or a bed', 'conflict');
        }
        const request = found.triage?.careRequest ?? null;
        if (request !== null && found.arrangedBy === null) {
          throw refuse(
            'CARE_NOT_ARRANGED',
            request.setting === 'bed' ? 'Reserve a bed for this referral first' : 'The package has not been accepted yet',
            'conflict',
          );
        }
        const at = instant(command.data.startedAt, 'startedAt');
        assertBetweenReferralAndNow(at, found, now, 'The start of care');
        const startedAt = new Date(at).toISOString();
        const startedOn = londonDate(startedAt);
        return [
          {
            type: 'CareStarted',
            data: {
              referralId: found.referralId,
              kind: found.kind,
              setting,
              requestId: request?.requestId ?? null,
              startedAt,
              startedOn,
              submittedAt: found.submittedAt,
              daysFromReferral: londonDaysBetween(londonDate(found.submittedAt), startedOn),
              recordedAt: now,
            },
          },
        ];
      }

      case 'EndCare': {
        assertRole(actor, ['hub'], 'record the end of care');
        const found = open(state);
        if (found.status !== 'active' || found.startedOn === null) {
          throw refuse('CARE_NOT_STARTED', 'Care has not started: withdraw the referral instead', 'conflict');
        }
        const outcome = assertOneOf(CARE_OUTCOMES, command.data.outcome, 'outcome');
        const { endedOn } = command.data;
        if (!isLondonDate(endedOn)) throw refuse('INVALID_DATE', 'endedOn must be a calendar date (YYYY-MM-DD)');
        if (londonDaysBetween(londonDate(now), endedOn) > 0)
          throw refuse('DATE_IN_FUTURE', 'The end of care cannot be in the future');
        if (londonDaysBetween(found.startedOn, endedOn) < 0)
          throw refuse('END_BEFORE_START', `Care started on ${found.startedOn}`);
        return [
          {
            type: 'CareEnded',
            data: {
              referralId: found.referralId,
              patientId: found.patientId,
              kind: found.kind,
              setting: settingOf(found.triage) ?? 'home',
              outcome,
              startedOn: found.startedOn,
              endedOn,
              recordedAt: now,
            },
          },
        ];
      }

      case 'WithdrawCommunityReferral': {
        assertRole(actor, ['hub'], 'withdraw a community referral');
        const found = existing(state);
        if (found.status === 'closed') throw refuse('REFERRAL_CLOSED', 'The referral is already closed', 'conflict');
        if (found.status === 'active') {
          throw refuse('CARE_STARTED', 'Care has started: end it with an outcome (e.g. admitted to hospital, died)', 'conflict');
        }
        const reason = assertOneOf(WITHDRAWAL_REASONS, command.data.reason, 'reason');
        return [
          {
            type: 'CommunityReferralWithdrawn',
            data: {
              referralId: found.referralId,
              patientId: found.patientId,
              kind: found.kind,
              reason,
              outstanding: found.triage?.careRequest ?? null,
              sealedNote: command.data.sealedNote ?? null,
              withdrawnAt: now,
            },
          },
        ];
      }

      default:
        return assertNever(command);
    }
  };

export const createReferralDecider = (
  rules: CommunityReferralRules,
): Decider<IntermediateCareReferral, IntermediateCareReferralCommand, IntermediateCareReferralEvent> => ({
  initialState: initialReferral,
  evolve,
  decide: decideReferral(rules),
});
