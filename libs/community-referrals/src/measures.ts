import type { RecordedEvent } from '@app/event-sourcing';
import type { Projection } from '@app/projections';
import { londonDate, londonDaysBetween } from '@app/time';
import {
  CARE_OUTCOMES,
  evolve,
  initialReferral,
  REFERRAL_KINDS,
  TRIAGE_OUTCOMES,
  WITHDRAWAL_REASONS,
  type IntermediateCareReferral,
  type IntermediateCareReferralEvent,
  type ReferralKind,
} from './intermediate-care-referral';

/**
 * The hub's community-referral measures, as pure functions of the referrals' folded facts. None of them
 * is a hospital discharge: they never enter the pathway shares, which read `dischargeCase` events only.
 */

export type ExistingReferral = Exclude<IntermediateCareReferral, { status: 'none' }>;

export interface ResponseMeasure {
  serviceLevelId: string | null;
  withinMinutes: number | null;
  minutesToRespond: number | null;
  /** within | over | awaiting (not yet due) | overdue (due and no response) | no-service-level */
  result: 'within' | 'over' | 'awaiting' | 'overdue' | 'no-service-level';
}

/** Elapsed minutes from referral to the first face-to-face response, against the service level in force then. */
export const responseMeasure = (facts: ExistingReferral, now: string): ResponseMeasure => {
  const level = facts.serviceLevel;
  const minutesToRespond =
    facts.respondedAt === null ? null : Math.floor((Date.parse(facts.respondedAt) - Date.parse(facts.submittedAt)) / 60_000);
  const base = { serviceLevelId: level?.id ?? null, withinMinutes: level?.withinMinutes ?? null, minutesToRespond };
  if (!level || !facts.respondBy) return { ...base, result: 'no-service-level' };
  if (facts.respondedAt !== null) {
    return { ...base, result: Date.parse(facts.respondedAt) <= Date.parse(facts.respondBy) ? 'within' : 'over' };
  }
  // A referral closed without a response (e.g. declined) is not counted as overdue.
  if (facts.status === 'closed') return { ...base, result: 'no-service-level' };
  return { ...base, result: Date.parse(now) > Date.parse(facts.respondBy) ? 'overdue' : 'awaiting' };
};

/** London calendar days from referral to the start of care; null until care starts. */
export const daysFromReferralToStart = (facts: ExistingReferral): number | null =>
  facts.startedOn === null ? null : londonDaysBetween(londonDate(facts.submittedAt), facts.startedOn);

/** How the referral ended, as one code: the triage outcome that closed it, the withdrawal reason or the care outcome. */
export const outcomeOf = (facts: ExistingReferral): string | null => {
  if (facts.status !== 'closed') return null;
  const { closure } = facts;
  return closure.by === 'triage'
    ? closure.outcome
    : closure.by === 'withdrawal'
      ? `withdrawn:${closure.reason}`
      : closure.outcome;
};

const stats = (values: number[]) => {
  if (values.length === 0) return { count: 0, mean: null, median: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
  return { count: values.length, mean, median };
};

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export const summariseCommunityReferrals = (referrals: readonly ExistingReferral[], now: string) => {
  const urgent = referrals.map((r) => responseMeasure(r, now)).filter((m) => m.result !== 'no-service-level');
  const count = (result: ResponseMeasure['result']) => urgent.filter((m) => m.result === result).length;
  const within = count('within');
  const decided = within + count('over') + count('overdue');

  const started = referrals.filter((r) => r.startedOn !== null);
  const daysToStart = Object.fromEntries(
    REFERRAL_KINDS.map((kind) => [kind, stats(started.filter((r) => r.kind === kind).map((r) => daysFromReferralToStart(r)!))]),
  ) as Record<ReferralKind, ReturnType<typeof stats>>;

  const triage = zeroes(TRIAGE_OUTCOMES);
  for (const r of referrals) if (r.triage) triage[r.triage.outcome] += 1;
  const careEnded = zeroes(CARE_OUTCOMES);
  const withdrawn = zeroes(WITHDRAWAL_REASONS);
  for (const r of referrals) {
    if (r.status !== 'closed') continue;
    if (r.closure.by === 'care-ended') careEnded[r.closure.outcome] += 1;
    if (r.closure.by === 'withdrawal') withdrawn[r.closure.reason] += 1;
  }

  const endOfLife = referrals.filter((r) => r.kind === 'end-of-life');
  const eolStarted = endOfLife.filter((r) => r.startedOn !== null);
  const metAtHome = eolStarted.filter((r) => r.triage?.outcome === 'support-at-home').length;
  const metInBed = eolStarted.filter((r) => r.triage?.outcome === 'bed').length;

  return {
    countsInPathwayShares: false,
    referrals: { total: referrals.length, stepUp: referrals.length - endOfLife.length, endOfLife: endOfLife.length },
    response: {
      definition: 'Urgent referrals: first face-to-face response within the configured service level, from the referral',
      serviceLevel: urgent.find((m) => m.serviceLevelId)?.serviceLevelId ?? null,
      within,
      over: count('over'),
      overdue: count('overdue'),
      awaiting: count('awaiting'),
      /** Numerator within; denominator responded plus overdue (awaiting is not yet decided). */
      percentWithin: decided === 0 ? null : Math.round((within / decided) * 1000) / 10,
    },
    daysFromReferralToStart: { definition: 'London calendar days from referral to start of care', ...daysToStart },
    outcomes: {
      triage,
      careEnded,
      withdrawn,
      admissionAvoided: careEnded['admission-avoided'],
      admittedToHospital: careEnded['admitted-to-hospital'] + withdrawn['admitted-to-hospital'],
    },
    endOfLife: {
      definition: 'End-of-life requests whose care started, by where the need was met',
      requests: endOfLife.length,
      metAtHome,
      metInBed,
      waiting: endOfLife.filter((r) => r.status === 'triaged' || r.status === 'submitted').length,
    },
  };
};

export type CommunityReferralMeasures = ReturnType<typeof summariseCommunityReferrals>;

/** Folds one referral's events: the measures' input, for a spec or an oracle. */
export const referralFactsFrom = (events: readonly IntermediateCareReferralEvent[]): ExistingReferral | null => {
  const state = events.reduce(evolve, initialReferral());
  return state.status === 'none' ? null : state;
};

export interface CommunityReferralEntry {
  state: ExistingReferral;
  revision: number;
  lastChangedAt: string;
}

export interface CommunityReferralMeasuresView {
  referrals: Record<string, CommunityReferralEntry>;
}

export const COMMUNITY_REFERRAL_MEASURES = 'community-referral-measures';

/** Every referral's facts (ids and codes; no identity), folded with the decider's evolve. */
export const communityReferralMeasures: Projection<CommunityReferralMeasuresView> = {
  name: COMMUNITY_REFERRAL_MEASURES,
  version: 1,
  categories: ['communityReferral'],
  initial: () => ({ referrals: {} }),
  evolve: (view, event: RecordedEvent) => {
    const referralId = (event.data as { referralId?: string }).referralId;
    if (!referralId) return view;
    const entry = view.referrals[referralId];
    const state = evolve(entry?.state ?? initialReferral(), event as unknown as IntermediateCareReferralEvent);
    if (state.status === 'none') return view;
    view.referrals[referralId] = { state, revision: event.revision, lastChangedAt: event.recordedAt };
    return view;
  },
};
