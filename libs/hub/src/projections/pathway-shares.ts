import type { RecordedEvent } from '@app/event-sourcing';
import type { Projection } from '@app/projections';
import { addLondonDays, londonDay, monthToDate, type LondonDate, type LondonWindow } from '@app/time';

/** Counts by pathway 0..3. */
export type PathwayCounts = [number, number, number, number];

/**
 * Discharges by pathway, from two sources:
 * - `referred`: cases the hub saw discharged, by London discharge date and hospital/area/age band;
 * - `feed`: the trusts' acute activity feed, by trust and date (a re-report supersedes).
 * Only facts and codes: no person is identifiable from the view.
 */
export interface PathwaySharesView {
  cases: Record<string, { hospital: string; area: string; ageBand: string }>;
  referred: Record<LondonDate, Record<string, PathwayCounts>>;
  feed: Record<string, { trust: string; date: LondonDate; counts: PathwayCounts }>;
}

const zero = (): PathwayCounts => [0, 0, 0, 0];

export const pathwayShares: Projection<PathwaySharesView> = {
  name: 'pathway-shares',
  version: 1,
  categories: ['dischargeCase', 'acuteActivity'],
  initial: () => ({ cases: {}, referred: {}, feed: {} }),
  // Deterministic in (view, event) and nothing else. It updates the view in place: the engine owns the
  // view, and copying 50,000 cases per event would make a rebuild quadratic.
  evolve: (view, event: RecordedEvent) => {
    switch (event.type) {
      case 'ReferralSubmitted': {
        const data = event.data as { caseId: string; hospital: string; area: string; ageBand: string };
        view.cases[data.caseId] = { hospital: data.hospital, area: data.area, ageBand: data.ageBand };
        return view;
      }
      case 'PatientDischarged': {
        const data = event.data as { caseId: string; pathway: 0 | 1 | 2 | 3; dischargedOn: LondonDate };
        const known = view.cases[data.caseId];
        if (!known) return view;
        const day = (view.referred[data.dischargedOn] ??= {});
        (day[`${known.hospital}|${known.area}|${known.ageBand}`] ??= zero())[data.pathway] += 1;
        return view;
      }
      case 'AcuteDischargesReported': {
        const data = event.data as { trust: string; date: LondonDate; rows: Array<{ pathway: 0 | 1 | 2 | 3; count: number }> };
        const counts = zero();
        for (const row of data.rows) counts[row.pathway] += row.count;
        view.feed[`${data.trust}|${data.date}`] = { trust: data.trust, date: data.date, counts };
        return view;
      }
      default:
        return view;
    }
  },
};

export interface WindowFigures {
  window: { firstDate: LondonDate; lastDate: LondonDate };
  /** Which denominator the shares use: the full acute activity, or only what was referred to the hub. */
  basis: 'acute-activity-feed' | 'referred-discharges';
  label: string;
  counts: PathwayCounts;
  total: number;
  /** Percent, one decimal place; null when there were no discharges. */
  shares: [number | null, number | null, number | null, number | null];
  referred: { counts: PathwayCounts; total: number };
  feed: { counts: PathwayCounts; total: number; daysCovered: number } | null;
}

const sum = (a: PathwayCounts, b: PathwayCounts): PathwayCounts => [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
const total = (c: PathwayCounts) => c[0] + c[1] + c[2] + c[3];

function datesOf(window: LondonWindow): LondonDate[] {
  return Array.from({ length: window.days }, (_, i) => addLondonDays(window.firstDate, i));
}

/** The figures for one window. The feed is the denominator only when it covers every day of the window. */
export function figuresFor(view: PathwaySharesView, window: LondonWindow): WindowFigures {
  const dates = datesOf(window);
  let referred = zero();
  for (const date of dates) for (const counts of Object.values(view.referred[date] ?? {})) referred = sum(referred, counts);
  let feed = zero();
  const covered = new Set<LondonDate>();
  for (const entry of Object.values(view.feed)) {
    if (entry.date >= window.firstDate && entry.date <= window.lastDate) {
      feed = sum(feed, entry.counts);
      covered.add(entry.date);
    }
  }
  const useFeed = covered.size === dates.length;
  const counts = useFeed ? feed : referred;
  const n = total(counts);
  return {
    window: { firstDate: window.firstDate, lastDate: window.lastDate },
    basis: useFeed ? 'acute-activity-feed' : 'referred-discharges',
    label: useFeed ? 'of all discharges (acute activity feed)' : 'of referred discharges',
    counts,
    total: n,
    shares: counts.map((c) => (n === 0 ? null : Math.round((c / n) * 1000) / 10)) as WindowFigures['shares'],
    referred: { counts: referred, total: total(referred) },
    feed: covered.size > 0 ? { counts: feed, total: total(feed), daysCovered: covered.size } : null,
  };
}

export const pathwaySharesOn = (view: PathwaySharesView, today: LondonDate) => ({
  today: figuresFor(view, londonDay(today)),
  monthToDate: figuresFor(view, monthToDate(today)),
});
