import type { ReferenceData } from '@app/reference-data';
import type {
  AscofFigures,
  DelayFigures,
  DischargeKpis,
  DischargeWindowFigures,
  NctrFigures,
  ServiceLevelFigures,
} from '../projections/discharge-kpis';
import type { CapacityKpis } from '../projections/capacity-kpis';
import { KPI_WINDOWS, type KpiWindow } from './definitions';

export const SUPPRESSED = 'suppressed' as const;
/** A count or a figure derived from one, hidden when the count is small. */
export type Cell = number | typeof SUPPRESSED;

/**
 * Hides small counts in a group that is shown with its total. Primary: counts 1..threshold-1. Secondary: when
 * exactly one cell is hidden, the total would give it away, so the smallest other non-zero cell is hidden too.
 */
export function suppressGroup(counts: readonly number[], isSuppressed: (n: number) => boolean): Cell[] {
  const hidden = counts.map(isSuppressed);
  if (hidden.filter(Boolean).length === 1) {
    let smallest = -1;
    counts.forEach((c, i) => {
      if (!hidden[i] && c > 0 && (smallest < 0 || c < counts[smallest])) smallest = i;
    });
    if (smallest >= 0) hidden[smallest] = true;
  }
  return counts.map((c, i) => (hidden[i] ? SUPPRESSED : c));
}

/** One count of people for a leader: hidden when small (1..threshold-1). */
export const countForLeader = (n: number, referenceData: ReferenceData): Cell => (referenceData.isSuppressed(n) ? SUPPRESSED : n);

const shown = <T>(cell: Cell, value: T): T | typeof SUPPRESSED => (cell === SUPPRESSED ? SUPPRESSED : value);

function suppressRecord<K extends string>(record: Record<K, number>, isSuppressed: (n: number) => boolean): Record<K, Cell> {
  const keys = Object.keys(record) as K[];
  const cells = suppressGroup(
    keys.map((k) => record[k]),
    isSuppressed,
  );
  return Object.fromEntries(keys.map((k, i) => [k, cells[i]])) as Record<K, Cell>;
}

/** What a leader's payload says about suppression, beside the figures. */
export const suppressionOf = (referenceData: ReferenceData) => ({
  threshold: referenceData.contents.leaderViews.smallCountSuppressionThreshold,
  note: 'Counts from 1 to threshold − 1, and figures computed from them, are shown as "suppressed".',
});

/** The figures of one window of discharges by pathway: what `GET /api/hub/pathway-shares` and the KPIs share. */
interface PathwayWindowFigures {
  window: unknown;
  basis: string;
  label: string;
  counts: readonly number[];
  total: number;
  shares: ReadonlyArray<number | null>;
  referred: { counts: readonly number[]; total: number };
  feed: { counts: readonly number[]; total: number; daysCovered: number } | null;
}

/**
 * One window of discharges by pathway for a leader (the KPIs' `dischargesByPathway` and pathway-shares alike):
 * counts suppressed as a group with their total, and a share hidden when its count or the total is.
 */
export function sharesForLeader<F extends PathwayWindowFigures>(w: F, referenceData: ReferenceData) {
  const small = (n: number) => referenceData.isSuppressed(n);
  const one = (n: number): Cell => (small(n) ? SUPPRESSED : n);
  const counts = suppressGroup(w.counts, small);
  const total = one(w.total);
  return {
    window: w.window,
    basis: w.basis,
    label: w.label,
    counts,
    total,
    shares: w.shares.map((s, i) => (counts[i] === SUPPRESSED || total === SUPPRESSED ? SUPPRESSED : s)),
    referred: { counts: suppressGroup(w.referred.counts, small), total: one(w.referred.total) },
    feed: w.feed && { counts: suppressGroup(w.feed.counts, small), total: one(w.feed.total), daysCovered: w.feed.daysCovered },
  };
}

/** `GET /api/hub/pathway-shares` (and its live room) for a leader: both windows suppressed as the KPIs are. */
export function pathwaySharesForLeader<A extends { today: PathwayWindowFigures; monthToDate: PathwayWindowFigures }>(
  answer: A,
  referenceData: ReferenceData,
) {
  return {
    ...answer,
    suppression: suppressionOf(referenceData),
    today: sharesForLeader(answer.today, referenceData),
    monthToDate: sharesForLeader(answer.monthToDate, referenceData),
  };
}

/**
 * What a leader sees: aggregates only, every count 1..threshold-1 hidden (with secondary suppression within a
 * group), and every share, mean, rate or judgement computed from a hidden count hidden too.
 */
export function forLeader(kpis: DischargeKpis, referenceData: ReferenceData) {
  const small = (n: number) => referenceData.isSuppressed(n);
  const one = (n: number): Cell => (small(n) ? SUPPRESSED : n);

  const discharges = (w: DischargeWindowFigures) => {
    const figures = sharesForLeader(w, referenceData);
    const { total } = figures;
    return {
      ...figures,
      targetSets: w.targetSets.map((set) => {
        const cells = suppressGroup(
          set.targets.map((t) => t.count),
          small,
        );
        const setTotal = one(set.total);
        return {
          ...set,
          total: setTotal,
          targets: set.targets.map((t, i) => {
            const hide = cells[i] === SUPPRESSED || setTotal === SUPPRESSED;
            return hide
              ? { ...t, count: cells[i], share: SUPPRESSED, met: SUPPRESSED, differencePoints: SUPPRESSED }
              : { ...t, count: cells[i] };
          }),
        };
      }),
      // P0+P1 and P2+P3 are complements of the total: one small count hides both.
      homeFirst: w.homeFirst.map((m) =>
        w.homeFirst.some((other) => small(other.count)) || total === SUPPRESSED
          ? { ...m, count: SUPPRESSED, share: SUPPRESSED, met: SUPPRESSED }
          : m,
      ),
    };
  };

  const nctr = (n: NctrFigures) => ({
    date: n.date,
    total: one(n.total),
    byPathway: suppressRecord(n.byPathway, small),
    byPrimaryReason: suppressRecord(n.byPrimaryReason, small),
    byDaysWaiting: suppressRecord(n.byDaysWaiting, small),
    feed: n.feed && {
      trustsReported: n.feed.trustsReported,
      total: one(n.feed.total),
      byPathway: suppressGroup(n.feed.byPathway, small),
      byPrimaryReason: suppressRecord(n.feed.byPrimaryReason, small),
    },
  });

  const delays = (d: DelayFigures) => {
    const count = one(d.count);
    return {
      count,
      totalDays: shown(count, d.totalDays),
      meanDays: shown(count, d.meanDays),
      distribution: suppressRecord(d.distribution, small),
    };
  };

  const serviceLevel = (s: ServiceLevelFigures) => {
    const withinLimit = one(s.withinLimit);
    const measured = one(s.measured);
    const outside = one(s.measured - s.withinLimit);
    const hide = withinLimit === SUPPRESSED || measured === SUPPRESSED || outside === SUPPRESSED;
    return {
      serviceLevel: s.serviceLevel,
      limit: s.limit,
      withinLimit: hide ? SUPPRESSED : s.withinLimit,
      measured,
      share: hide ? SUPPRESSED : s.share,
      waiting: one(s.waiting),
      returned: one(s.returned),
    };
  };

  const ascof = (a: AscofFigures) => {
    const byResult = suppressRecord(a.byResult, small);
    const atHome = byResult['at-home'];
    const followedUp = one(a.followedUp);
    return {
      cohort: a.cohort,
      cohortSize: one(a.cohortSize),
      atHome,
      followedUp,
      rate: atHome === SUPPRESSED || followedUp === SUPPRESSED ? SUPPRESSED : a.rate,
      byResult,
      pending: one(a.pending),
      overdue: one(a.overdue),
    };
  };

  const perWindow = <T, R>(record: Record<KpiWindow, T>, f: (t: T) => R) =>
    Object.fromEntries(KPI_WINDOWS.map((w) => [w, f(record[w])])) as Record<KpiWindow, R>;

  const people = one(kpis.delayedBedDays.people);
  return {
    date: kpis.date,
    timeZone: kpis.timeZone,
    filters: kpis.filters,
    suppression: suppressionOf(referenceData),
    dischargesByPathway: perWindow(kpis.dischargesByPathway, discharges),
    nctrNow: nctr(kpis.nctrNow),
    delayedBedDays: {
      ...kpis.delayedBedDays,
      people,
      bedDays: shown(people, kpis.delayedBedDays.bedDays),
      costGbp: shown(people, kpis.delayedBedDays.costGbp),
    },
    drdToDischarge: perWindow(kpis.drdToDischarge, (d) => ({
      window: d.window,
      ...delays(d),
      byPathway: {
        '0': delays(d.byPathway['0']),
        '1': delays(d.byPathway['1']),
        '2': delays(d.byPathway['2']),
        '3': delays(d.byPathway['3']),
      },
    })),
    responsiveness: {
      referralAccepted: perWindow(kpis.responsiveness.referralAccepted, serviceLevel),
      triagedOrAssigned: perWindow(kpis.responsiveness.triagedOrAssigned, serviceLevel),
    },
    ascof2b1: ascof(kpis.ascof2b1),
  };
}

export type LeaderKpis = ReturnType<typeof forLeader>;

/**
 * Bed base, D2A and parked messages for a leader. Bed counts and hours are not people: shown as they are.
 * Counts of people (long stays, bed starts, people waiting, starts, outcomes) are suppressed as above; no
 * list that names a case, a package or a stream is sent.
 */
export function capacityForLeader(capacity: Partial<CapacityKpis>, referenceData: ReferenceData) {
  const small = (n: number) => referenceData.isSuppressed(n);
  const one = (n: number): Cell => (small(n) ? SUPPRESSED : n);
  const perWindow = <T, R>(record: Record<KpiWindow, T>, f: (t: T) => R) =>
    Object.fromEntries(KPI_WINDOWS.map((w) => [w, f(record[w])])) as Record<KpiWindow, R>;
  const { bedBase, d2a, parkedMessages } = capacity;
  return {
    ...(bedBase && {
      bedBase: {
        at: bedBase.at,
        beds: bedBase.beds,
        longStays: { thresholdDays: bedBase.longStays.thresholdDays, count: one(bedBase.longStays.count) },
        bedStart: perWindow(bedBase.bedStart, (s) => {
          const withinLimit = one(s.withinLimit);
          const measured = one(s.measured);
          const hide = withinLimit === SUPPRESSED || measured === SUPPRESSED || small(s.measured - s.withinLimit);
          return {
            window: s.window,
            serviceLevel: s.serviceLevel,
            limit: s.limit,
            withinLimit: hide ? SUPPRESSED : s.withinLimit,
            measured,
            share: hide ? SUPPRESSED : s.share,
            waiting: one(s.waiting),
            closedWithoutAdmission: one(s.closedWithoutAdmission),
          };
        }),
        openRequests: {
          total: one(bedBase.openRequests.total),
          byOrigin: suppressRecord(bedBase.openRequests.byOrigin, small),
        },
      },
    }),
    ...(d2a && {
      d2a: {
        at: d2a.at,
        capacity: d2a.capacity,
        workforce: d2a.workforce,
        waiting: {
          total: one(d2a.waiting.total),
          awaitingPlacement: one(d2a.waiting.awaitingPlacement),
          placedNotStarted: one(d2a.waiting.placedNotStarted),
          byArea: suppressRecord(d2a.waiting.byArea, small),
          byDaysWaiting: suppressRecord(d2a.waiting.byDaysWaiting, small),
          longestDays: one(d2a.waiting.total) === SUPPRESSED ? SUPPRESSED : d2a.waiting.longestDays,
        },
        requestToStart: {
          targetDays: d2a.requestToStart.targetDays,
          ...perWindow(d2a.requestToStart, (r) => {
            const count = one(r.count);
            const withinTarget = one(r.withinTarget);
            const hide = count === SUPPRESSED || withinTarget === SUPPRESSED || small(r.count - r.withinTarget);
            return {
              window: r.window,
              count,
              totalDays: shown(count, r.totalDays),
              meanDays: shown(count, r.meanDays),
              withinTarget: hide ? SUPPRESSED : r.withinTarget,
              share: hide ? SUPPRESSED : r.share,
              distribution: suppressRecord(r.distribution, small),
            };
          }),
        },
        outcomes: perWindow(d2a.outcomes, (o) => ({
          window: o.window,
          ended: one(o.ended),
          byOutcome: suppressRecord(o.byOutcome, small),
          cancelled: one(o.cancelled),
          byCancellationReason: suppressRecord(o.byCancellationReason, small),
        })),
      },
    }),
    ...(parkedMessages && {
      parkedMessages: {
        count: parkedMessages.count,
        byProcessManager: parkedMessages.byProcessManager,
        byReason: parkedMessages.byReason,
        resolved: parkedMessages.resolved,
        dismissed: parkedMessages.dismissed,
        oldestParkedAt: parkedMessages.oldestParkedAt,
      },
    }),
  };
}
