import type { RecordedEvent } from '@app/event-sourcing';
import type { Projection } from '@app/projections';
import type { ReferenceData } from '@app/reference-data';
import {
  addLondonDays,
  lastNDays,
  londonDate,
  londonDay,
  londonDaysBetween,
  monthToDate,
  type LondonDate,
  type LondonWindow,
} from '@app/time';
import {
  bucketOf,
  DAYS_WAITING_BUCKETS,
  DEFAULT_ASCOF_COHORT,
  KPI_WINDOWS,
  type DaysWaitingBucket,
  type KpiWindow,
} from '../kpis/definitions';
import type { PathwayCounts } from './pathway-shares';

type Pathway = 0 | 1 | 2 | 3;
const PATHWAYS: readonly Pathway[] = [0, 1, 2, 3];
export const FOLLOW_UP_RESULTS = ['at-home', 'in-hospital', 'in-care-home', 'died', 'not-contactable'] as const;
type FollowUpResult = (typeof FOLLOW_UP_RESULTS)[number];

/**
 * One referred case, as facts: codes, London dates and instants only. No identity (patient id, ward,
 * notes) is ever copied in, so the view is safe to snapshot and to aggregate for leaders.
 */
export interface CaseFact {
  hospital: string;
  area: string;
  ageBand: string;
  submittedAt: string;
  acceptedAt: string | null;
  returnedAt: string | null;
  firstAssignedAt: string | null;
  /** [London date of the assignment, pathway], in event order. */
  pathways: Array<[LondonDate, Pathway]>;
  /** NCTR periods in event order; `to` is the London day the period ended (not NCTR at its end), null while open. */
  periods: Array<{ from: LondonDate; to: LondonDate | null }>;
  /** Open delays: delayId → reason code. */
  delays: Record<string, string>;
  primaryDelayId: string | null;
  /** [London date, primary reason code or null when none is open], appended whenever the primary changes. */
  primary: Array<[LondonDate, string | null]>;
  closed: { kind: 'discharged' | 'withdrawn' | 'returned'; on: LondonDate } | null;
  discharge: {
    on: LondonDate;
    pathway: Pathway;
    delayDays: number;
    followUpDueOn: LondonDate | null;
  } | null;
  followUp: { result: FollowUpResult; atHome: boolean } | null;
}

/** Latest report per trust and day (a re-report replaces the day). Rows: [pathway, ageBand, area, count]. */
interface FeedDay {
  trust: string;
  date: LondonDate;
  rows: Array<[Pathway, string, string, number]>;
}

/** Latest NCTR list per trust and snapshot date. Rows: [pathway, ageBand, area, primaryDelayCode, count]. */
interface FeedNctr {
  trust: string;
  date: LondonDate;
  rows: Array<[Pathway, string, string, string, number]>;
}

export interface DischargeKpisView {
  cases: Record<string, CaseFact>;
  feedDischarges: Record<string, FeedDay>;
  feedNctr: Record<string, FeedNctr>;
  /** Last revision folded per stream: evolve is idempotent by (streamId, revision). */
  revisions: Record<string, number>;
}

const endOpenPeriod = (fact: CaseFact, on: LondonDate) => {
  const open = fact.periods.at(-1);
  if (open && open.to === null) open.to = on;
};

const setPrimary = (fact: CaseFact, delayId: string | null, at: string) => {
  fact.primaryDelayId = delayId;
  fact.primary.push([londonDate(at), delayId === null ? null : (fact.delays[delayId] ?? null)]);
};

const close = (fact: CaseFact, kind: 'discharged' | 'withdrawn' | 'returned', on: LondonDate) => {
  endOpenPeriod(fact, on);
  fact.closed = { kind, on };
};

type Data = Record<string, unknown>;

export const dischargeKpis: Projection<DischargeKpisView> = {
  name: 'discharge-kpis',
  version: 1,
  categories: ['dischargeCase', 'acuteActivity'],
  initial: () => ({ cases: {}, feedDischarges: {}, feedNctr: {}, revisions: {} }),
  // Updates the view in place (the engine owns it), as pathway-shares does.
  evolve: (view, event: RecordedEvent) => {
    const seen = view.revisions[event.streamId];
    if (seen !== undefined && event.revision <= seen) return view;
    view.revisions[event.streamId] = event.revision;
    const data = event.data as Data;
    if (event.type === 'AcuteDischargesReported') {
      const d = data as { trust: string; date: LondonDate; rows: Array<Data> };
      view.feedDischarges[`${d.trust}|${d.date}`] = {
        trust: d.trust,
        date: d.date,
        rows: d.rows.map((r) => [r.pathway as Pathway, r.ageBand as string, r.area as string, r.count as number]),
      };
      return view;
    }
    if (event.type === 'NctrListReported') {
      const d = data as { trust: string; snapshotDate: LondonDate; rows: Array<Data> };
      view.feedNctr[`${d.trust}|${d.snapshotDate}`] = {
        trust: d.trust,
        date: d.snapshotDate,
        rows: d.rows.map((r) => [
          r.pathway as Pathway,
          r.ageBand as string,
          r.area as string,
          r.primaryDelayCode as string,
          r.count as number,
        ]),
      };
      return view;
    }
    const caseId = data.caseId as string;
    if (event.type === 'ReferralSubmitted') {
      view.cases[caseId] = {
        hospital: data.hospital as string,
        area: data.area as string,
        ageBand: data.ageBand as string,
        submittedAt: data.submittedAt as string,
        acceptedAt: null,
        returnedAt: null,
        firstAssignedAt: null,
        pathways: [],
        periods: [],
        delays: {},
        primaryDelayId: null,
        primary: [],
        closed: null,
        discharge: null,
        followUp: null,
      };
      return view;
    }
    const fact = view.cases[caseId];
    if (!fact) return view;
    switch (event.type) {
      case 'ReferralAccepted':
        fact.acceptedAt = data.acceptedAt as string;
        break;
      case 'ReferralReturned':
        fact.returnedAt = data.returnedAt as string;
        close(fact, 'returned', londonDate(data.returnedAt as string));
        break;
      case 'CriteriaToResideNotMet':
        fact.periods.push({ from: data.from as LondonDate, to: null });
        break;
      case 'CriteriaToResideMetAgain':
        endOpenPeriod(fact, data.on as LondonDate);
        break;
      case 'PathwayAssigned':
        fact.firstAssignedAt ??= data.assignedAt as string;
        fact.pathways.push([londonDate(data.assignedAt as string), data.pathway as Pathway]);
        break;
      case 'DelayOpened':
        fact.delays[data.delayId as string] = data.reasonCode as string;
        if (data.primary) setPrimary(fact, data.delayId as string, data.openedAt as string);
        break;
      case 'PrimaryDelayChanged':
        setPrimary(fact, data.primaryDelayId as string, data.changedAt as string);
        break;
      case 'DelayClosed': {
        const delayId = data.delayId as string;
        const wasPrimary = fact.primaryDelayId === delayId;
        const promoted = data.promotedDelayId as string | null;
        delete fact.delays[delayId];
        if (wasPrimary) setPrimary(fact, promoted, data.closedAt as string);
        break;
      }
      case 'PatientDischarged': {
        const on = data.dischargedOn as LondonDate;
        close(fact, 'discharged', on);
        fact.discharge = {
          on,
          pathway: data.pathway as Pathway,
          delayDays: data.delayDays as number,
          followUpDueOn: (data.followUpDueOn as LondonDate | null) ?? null,
        };
        break;
      }
      case 'CaseWithdrawn':
        close(fact, 'withdrawn', londonDate(data.withdrawnAt as string));
        break;
      case 'NinetyOneDayFollowUpRecorded':
        fact.followUp = { result: data.result as FollowUpResult, atHome: data.countsAsAtHome as boolean };
        break;
      default:
        break;
    }
    return view;
  },
};

// ─── Queries ────────────────────────────────────────────────────────────────────────────────────────────

export interface KpiFilters {
  area?: string;
  /** Trust ODS code. */
  hospital?: string;
  ageBand?: string;
}

const matches = (f: { hospital?: string; area: string; ageBand: string }, filters: KpiFilters, trust?: string) =>
  (!filters.area || f.area === filters.area) &&
  (!filters.hospital || (trust ?? f.hospital) === filters.hospital) &&
  (!filters.ageBand || f.ageBand === filters.ageBand);

const facts = (view: DischargeKpisView, filters: KpiFilters) =>
  Object.values(view.cases).filter((fact) => matches(fact, filters));

const within = (date: LondonDate, window: { firstDate: LondonDate; lastDate: LondonDate }) =>
  date >= window.firstDate && date <= window.lastDate;

/** Percent to one decimal place; null when there is no denominator. */
export const percent = (count: number, total: number): number | null =>
  total === 0 ? null : Math.round((count / total) * 1000) / 10;

const round2 = (x: number) => Math.round(x * 100) / 100;
const zero = (): PathwayCounts => [0, 0, 0, 0];
const totalOf = (c: readonly number[]) => c.reduce((a, b) => a + b, 0);

export function kpiWindows(today: LondonDate): Record<KpiWindow, LondonWindow> {
  return {
    today: londonDay(today),
    last7Days: lastNDays(today, 7),
    monthToDate: monthToDate(today),
    rolling28Days: lastNDays(today, 28),
  };
}

const windowOf = (w: LondonWindow) => ({ firstDate: w.firstDate, lastDate: w.lastDate, days: w.days });

// Discharges by pathway ------------------------------------------------------------------------------------

export type DischargeBasis = 'acute-activity-feed' | 'referred-discharges';

interface Counted {
  basis: DischargeBasis;
  counts: PathwayCounts;
  referred: PathwayCounts;
  feed: PathwayCounts;
  daysCovered: number;
}

/** Trusts whose feed must cover a window for the feed to be the denominator. */
const trustsInScope = (referenceData: ReferenceData, filters: KpiFilters) =>
  filters.hospital ? [filters.hospital] : referenceData.contents.trusts.map((t) => t.odsCode);

function countDischarges(
  view: DischargeKpisView,
  window: LondonWindow,
  referenceData: ReferenceData,
  filters: KpiFilters,
  ageBands?: readonly string[],
): Counted {
  const inBands = (band: string) => !ageBands || ageBands.includes(band);
  const referred = zero();
  for (const fact of facts(view, filters)) {
    if (fact.discharge && within(fact.discharge.on, window) && inBands(fact.ageBand)) referred[fact.discharge.pathway] += 1;
  }
  const trusts = trustsInScope(referenceData, filters);
  const feed = zero();
  const coveredByTrust = new Map<string, Set<LondonDate>>(trusts.map((t) => [t, new Set()]));
  for (const day of Object.values(view.feedDischarges)) {
    if (!within(day.date, window) || !coveredByTrust.has(day.trust)) continue;
    coveredByTrust.get(day.trust)!.add(day.date);
    for (const [pathway, ageBand, area, count] of day.rows) {
      if (matches({ area, ageBand }, filters, day.trust) && inBands(ageBand)) feed[pathway] += count;
    }
  }
  const daysCovered = Math.min(...[...coveredByTrust.values()].map((s) => s.size));
  const useFeed = daysCovered === window.days;
  return {
    basis: useFeed ? 'acute-activity-feed' : 'referred-discharges',
    counts: useFeed ? feed : referred,
    referred,
    feed,
    daysCovered,
  };
}

export interface TargetFigure {
  pathway: Pathway;
  target: number;
  comparison: 'at-least' | 'at-most' | 'about';
  count: number;
  share: number | null;
  /** null for "about" targets and when there were no discharges. */
  met: boolean | null;
  differencePoints: number | null;
}

const judge = (comparison: string, count: number, total: number, target: number): boolean | null => {
  if (total === 0 || comparison === 'about') return null;
  return comparison === 'at-least' ? count * 100 >= target * total : count * 100 <= target * total;
};

export interface DischargeWindowFigures {
  window: { firstDate: LondonDate; lastDate: LondonDate; days: number };
  basis: DischargeBasis;
  label: string;
  counts: PathwayCounts;
  total: number;
  shares: Array<number | null>;
  referred: { counts: PathwayCounts; total: number };
  feed: { counts: PathwayCounts; total: number; daysCovered: number } | null;
  targetSets: Array<{ id: string; label: string; source: string; population: string; total: number; targets: TargetFigure[] }>;
  homeFirst: Array<{
    id: string;
    label: string;
    pathways: readonly Pathway[];
    target: number;
    comparison: string;
    count: number;
    share: number | null;
    met: boolean | null;
    source: string;
  }>;
}

export function dischargesInWindow(
  view: DischargeKpisView,
  window: LondonWindow,
  referenceData: ReferenceData,
  filters: KpiFilters = {},
): DischargeWindowFigures {
  const all = countDischarges(view, window, referenceData, filters);
  const total = totalOf(all.counts);
  const targetSets = referenceData.pathwayTargetSets.map((set) => {
    const population = set.ageBands ? countDischarges(view, window, referenceData, filters, set.ageBands).counts : all.counts;
    const n = totalOf(population);
    return {
      id: set.id,
      label: set.label,
      source: set.source,
      population: set.population,
      total: n,
      targets: set.targets.map((t) => {
        const share = percent(population[t.pathway], n);
        return {
          pathway: t.pathway,
          target: t.percent,
          comparison: t.comparison,
          count: population[t.pathway],
          share,
          met: judge(t.comparison, population[t.pathway], n, t.percent),
          differencePoints: share === null ? null : Math.round((share - t.percent) * 10) / 10,
        };
      }),
    };
  });
  const homeFirst = referenceData.contents.homeFirstMeasures.map((m) => {
    const count = totalOf(m.pathways.map((p) => all.counts[p]));
    return {
      id: m.id,
      label: m.label,
      pathways: m.pathways,
      target: m.percent,
      comparison: m.comparison,
      count,
      share: percent(count, total),
      met: judge(m.comparison, count, total, m.percent),
      source: m.source,
    };
  });
  const feedTotal = totalOf(all.feed);
  return {
    window: windowOf(window),
    basis: all.basis,
    label: all.basis === 'acute-activity-feed' ? 'of all discharges (acute activity feed)' : 'of referred discharges',
    counts: all.counts,
    total,
    shares: all.counts.map((c) => percent(c, total)),
    referred: { counts: all.referred, total: totalOf(all.referred) },
    feed: all.daysCovered > 0 || feedTotal > 0 ? { counts: all.feed, total: feedTotal, daysCovered: all.daysCovered } : null,
    targetSets,
    homeFirst,
  };
}

export function dischargesByPathway(
  view: DischargeKpisView,
  today: LondonDate,
  referenceData: ReferenceData,
  filters: KpiFilters = {},
): Record<KpiWindow, DischargeWindowFigures> {
  const windows = kpiWindows(today);
  return Object.fromEntries(KPI_WINDOWS.map((w) => [w, dischargesInWindow(view, windows[w], referenceData, filters)])) as Record<
    KpiWindow,
    DischargeWindowFigures
  >;
}

// NCTR now -------------------------------------------------------------------------------------------------

/** The NCTR period open at the end of `date`, if any. */
export const periodAtEndOf = (fact: CaseFact, date: LondonDate) =>
  fact.periods.find((p) => p.from <= date && (p.to === null || p.to > date));

const lastOnOrBefore = <T>(timeline: Array<[LondonDate, T]>, date: LondonDate): T | undefined => {
  let found: T | undefined;
  for (const [on, value] of timeline) if (on <= date) found = value;
  return found;
};

export const NO_DELAY_RECORDED = 'none-recorded';

export interface NctrFigures {
  date: LondonDate;
  total: number;
  byPathway: Record<'0' | '1' | '2' | '3' | 'unassigned', number>;
  byPrimaryReason: Record<string, number>;
  byDaysWaiting: Record<DaysWaitingBucket, number>;
  feed: { trustsReported: string[]; total: number; byPathway: PathwayCounts; byPrimaryReason: Record<string, number> } | null;
}

const emptyBuckets = () => Object.fromEntries(DAYS_WAITING_BUCKETS.map((b) => [b.label, 0])) as Record<DaysWaitingBucket, number>;

export function nctrNow(
  view: DischargeKpisView,
  today: LondonDate,
  referenceData: ReferenceData,
  filters: KpiFilters = {},
): NctrFigures {
  const byPathway = { '0': 0, '1': 0, '2': 0, '3': 0, unassigned: 0 };
  const byPrimaryReason: Record<string, number> = {};
  const byDaysWaiting = emptyBuckets();
  let total = 0;
  for (const fact of facts(view, filters)) {
    const period = periodAtEndOf(fact, today);
    if (!period) continue;
    total += 1;
    const pathway = lastOnOrBefore(fact.pathways, today);
    byPathway[pathway === undefined ? 'unassigned' : (`${pathway}` as '0' | '1' | '2' | '3')] += 1;
    const reason = lastOnOrBefore(fact.primary, today) ?? NO_DELAY_RECORDED;
    byPrimaryReason[reason] = (byPrimaryReason[reason] ?? 0) + 1;
    byDaysWaiting[bucketOf(londonDaysBetween(period.from, today))] += 1;
  }
  const trusts = trustsInScope(referenceData, filters);
  const reported = Object.values(view.feedNctr).filter((list) => list.date === today && trusts.includes(list.trust));
  let feed: NctrFigures['feed'] = null;
  if (reported.length > 0) {
    const counts = zero();
    const reasons: Record<string, number> = {};
    for (const list of reported) {
      for (const [pathway, ageBand, area, code, count] of list.rows) {
        if (!matches({ area, ageBand }, filters, list.trust)) continue;
        counts[pathway] += count;
        reasons[code] = (reasons[code] ?? 0) + count;
      }
    }
    feed = {
      trustsReported: reported.map((l) => l.trust).sort(),
      total: totalOf(counts),
      byPathway: counts,
      byPrimaryReason: reasons,
    };
  }
  return { date: today, total, byPathway, byPrimaryReason, byDaysWaiting, feed };
}

// Delayed bed days -----------------------------------------------------------------------------------------

export interface DelayedBedDaysFigures {
  window: { firstDate: LondonDate; lastDate: LondonDate; days: number };
  bedDays: number;
  /** Cases with at least one delayed bed day in the window (for suppression). */
  people: number;
  ratePerBedDayGbp: number;
  rateIllustrative: boolean;
  costGbp: number;
}

/** Days of one NCTR period inside [first, last]: from the DRD up to, not including, the day it ended. */
export const delayedDaysWithin = (
  period: { from: LondonDate; to: LondonDate | null },
  first: LondonDate,
  last: LondonDate,
): number => {
  const start = period.from > first ? period.from : first;
  const end = period.to === null ? last : addLondonDays(period.to, -1) < last ? addLondonDays(period.to, -1) : last;
  return Math.max(0, londonDaysBetween(start, end) + 1);
};

export function delayedBedDays(
  view: DischargeKpisView,
  today: LondonDate,
  referenceData: ReferenceData,
  filters: KpiFilters = {},
): DelayedBedDaysFigures {
  const month = monthToDate(today);
  let bedDays = 0;
  let people = 0;
  for (const fact of facts(view, filters)) {
    const days = fact.periods.reduce((sum, p) => sum + delayedDaysWithin(p, month.firstDate, month.lastDate), 0);
    bedDays += days;
    if (days > 0) people += 1;
  }
  const rate = referenceData.contents.delayedBedDayCost;
  return {
    window: windowOf(month),
    bedDays,
    people,
    ratePerBedDayGbp: rate.amountGbp,
    rateIllustrative: rate.illustrative,
    costGbp: bedDays * rate.amountGbp,
  };
}

// DRD to discharge -----------------------------------------------------------------------------------------

export interface DelayFigures {
  count: number;
  totalDays: number;
  meanDays: number | null;
  distribution: Record<DaysWaitingBucket, number>;
}

export interface DrdToDischargeFigures extends DelayFigures {
  window: { firstDate: LondonDate; lastDate: LondonDate; days: number };
  byPathway: Record<'0' | '1' | '2' | '3', DelayFigures>;
}

const delayFigures = (delays: number[]): DelayFigures => {
  const distribution = emptyBuckets();
  for (const d of delays) distribution[bucketOf(d)] += 1;
  const totalDays = totalOf(delays);
  return { count: delays.length, totalDays, meanDays: delays.length ? round2(totalDays / delays.length) : null, distribution };
};

export function drdToDischarge(
  view: DischargeKpisView,
  today: LondonDate,
  _referenceData: ReferenceData,
  filters: KpiFilters = {},
): Record<KpiWindow, DrdToDischargeFigures> {
  const windows = kpiWindows(today);
  const discharged = facts(view, filters).flatMap((f) => (f.discharge ? [f.discharge] : []));
  const figuresFor = (window: LondonWindow): DrdToDischargeFigures => {
    const inWindow = discharged.filter((d) => within(d.on, window));
    return {
      window: windowOf(window),
      ...delayFigures(inWindow.map((d) => d.delayDays)),
      byPathway: Object.fromEntries(
        PATHWAYS.map((p) => [`${p}`, delayFigures(inWindow.filter((d) => d.pathway === p).map((d) => d.delayDays))]),
      ) as DrdToDischargeFigures['byPathway'],
    };
  };
  return Object.fromEntries(KPI_WINDOWS.map((w) => [w, figuresFor(windows[w])])) as Record<KpiWindow, DrdToDischargeFigures>;
}

// Hub responsiveness ---------------------------------------------------------------------------------------

export interface ServiceLevelFigures {
  serviceLevel: string;
  limit: { amount: number; unit: string };
  withinLimit: number;
  /** Referrals the measure could be taken on (accepted, or assigned). */
  measured: number;
  share: number | null;
  /** Referrals in the window still waiting (open, not yet accepted / returned, or not yet assigned). */
  waiting: number;
  returned: number;
}

export function hubResponsiveness(
  view: DischargeKpisView,
  today: LondonDate,
  referenceData: ReferenceData,
  filters: KpiFilters = {},
): { referralAccepted: Record<KpiWindow, ServiceLevelFigures>; triagedOrAssigned: Record<KpiWindow, ServiceLevelFigures> } {
  const windows = kpiWindows(today);
  const all = facts(view, filters);
  const measure = (id: string, window: LondonWindow, at: (f: CaseFact) => string | null, waiting: (f: CaseFact) => boolean) => {
    const level = referenceData.serviceLevel(id)!;
    const submitted = all.filter((f) => within(londonDate(f.submittedAt), window));
    const measured = submitted.filter((f) => at(f) !== null);
    const withinLimit = measured.filter((f) => referenceData.serviceLevelMet(id, f.submittedAt, at(f)!)).length;
    return {
      serviceLevel: level.label,
      limit: level.within,
      withinLimit,
      measured: measured.length,
      share: percent(withinLimit, measured.length),
      waiting: submitted.filter(waiting).length,
      returned: submitted.filter((f) => f.returnedAt !== null).length,
    };
  };
  const byWindow = (id: string, at: (f: CaseFact) => string | null, waiting: (f: CaseFact) => boolean) =>
    Object.fromEntries(KPI_WINDOWS.map((w) => [w, measure(id, windows[w], at, waiting)])) as Record<
      KpiWindow,
      ServiceLevelFigures
    >;
  return {
    referralAccepted: byWindow(
      'referral-accepted',
      (f) => f.acceptedAt,
      (f) => f.acceptedAt === null && f.returnedAt === null && f.closed === null,
    ),
    triagedOrAssigned: byWindow(
      'triaged-or-assigned',
      (f) => f.firstAssignedAt,
      (f) => f.firstAssignedAt === null && f.closed === null,
    ),
  };
}

// ASCOF 2B(1) ----------------------------------------------------------------------------------------------

export interface AscofCohort {
  from: LondonDate;
  to: LondonDate;
}

export const defaultAscofCohort = (today: LondonDate): AscofCohort => {
  const year = Number(today.slice(0, 4));
  const from = `${year}-${DEFAULT_ASCOF_COHORT.fromMonthDay}`;
  const y = today >= from ? year : year - 1;
  return { from: `${y}-${DEFAULT_ASCOF_COHORT.fromMonthDay}`, to: `${y}-${DEFAULT_ASCOF_COHORT.toMonthDay}` };
};

export interface AscofFigures {
  cohort: AscofCohort;
  cohortSize: number;
  atHome: number;
  followedUp: number;
  rate: number | null;
  byResult: Record<FollowUpResult, number>;
  pending: number;
  overdue: number;
}

export function ascof2b1(
  view: DischargeKpisView,
  today: LondonDate,
  _referenceData: ReferenceData,
  filters: KpiFilters = {},
  cohort: AscofCohort = defaultAscofCohort(today),
): AscofFigures {
  const members = facts(view, filters).filter(
    (f) => f.discharge?.followUpDueOn && f.discharge.on >= cohort.from && f.discharge.on <= cohort.to,
  );
  const byResult = Object.fromEntries(FOLLOW_UP_RESULTS.map((r) => [r, 0])) as Record<FollowUpResult, number>;
  let atHome = 0;
  let pending = 0;
  let overdue = 0;
  for (const f of members) {
    if (f.followUp) {
      byResult[f.followUp.result] += 1;
      if (f.followUp.atHome) atHome += 1;
    } else {
      pending += 1;
      if (f.discharge!.followUpDueOn! <= today) overdue += 1;
    }
  }
  const followedUp = members.length - pending;
  return {
    cohort,
    cohortSize: members.length,
    atHome,
    followedUp,
    rate: percent(atHome, followedUp),
    byResult,
    pending,
    overdue,
  };
}

// All ------------------------------------------------------------------------------------------------------

export interface DischargeKpis {
  date: LondonDate;
  timeZone: 'Europe/London';
  filters: KpiFilters;
  dischargesByPathway: Record<KpiWindow, DischargeWindowFigures>;
  nctrNow: NctrFigures;
  delayedBedDays: DelayedBedDaysFigures;
  drdToDischarge: Record<KpiWindow, DrdToDischargeFigures>;
  responsiveness: ReturnType<typeof hubResponsiveness>;
  ascof2b1: AscofFigures;
}

export function dischargeKpisOn(
  view: DischargeKpisView,
  today: LondonDate,
  referenceData: ReferenceData,
  filters: KpiFilters = {},
  options: { ascofCohort?: AscofCohort } = {},
): DischargeKpis {
  return {
    date: today,
    timeZone: 'Europe/London',
    filters,
    dischargesByPathway: dischargesByPathway(view, today, referenceData, filters),
    nctrNow: nctrNow(view, today, referenceData, filters),
    delayedBedDays: delayedBedDays(view, today, referenceData, filters),
    drdToDischarge: drdToDischarge(view, today, referenceData, filters),
    responsiveness: hubResponsiveness(view, today, referenceData, filters),
    ascof2b1: ascof2b1(view, today, referenceData, filters, options.ascofCohort),
  };
}
