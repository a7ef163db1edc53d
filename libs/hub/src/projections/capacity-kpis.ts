import type { RecordedEvent } from '@app/event-sourcing';
import type { Projection } from '@app/projections';
import type { ReferenceData } from '@app/reference-data';
import { londonDate, londonDaysBetween, type LondonDate, type LondonWindow } from '@app/time';
import { longStays, summaryOf, type BedBaseSummary, type BedBoardView, type LongStay } from '@app/bed-base';
import { ledgerGrid, waitingList, type HomeCareView } from '@app/home-care';
import {
  bucketOf,
  D2A_REQUEST_TO_START_TARGET_DAYS,
  DAYS_WAITING_BUCKETS,
  KPI_WINDOWS,
  type DaysWaitingBucket,
  type KpiWindow,
} from '../kpis/definitions';
import { kpiWindows, percent, type ServiceLevelFigures } from './discharge-kpis';

/**
 * The facts DESIGN §5's bed-base, D2A and parked-message KPIs need that the bed board and the home-care view
 * forget: when a bed request opened and when its person was admitted, when a package was requested, started
 * and ended and with what outcome, and every parked message. Bed counts, long stays, the capacity ledgers and
 * the waiting list are NOT copied here: they come from the `bed-board` and `home-care-view` projections'
 * own query functions, so there is one source of truth for each. Ids and codes only; no person.
 */
export interface BedRequestFact {
  origin: string;
  area: string;
  pathway: number;
  category: string;
  openedAt: string;
  /** PatientAdmitted.admittedAt (the discharge instant the admission follows from). */
  admittedAt: string | null;
  closedAt: string | null;
  closedFor: string | null;
}

export interface PackageFact {
  origin: string;
  area: string;
  requestedAt: string;
  providerId: string | null;
  startedOn: LondonDate | null;
  endedOn: LondonDate | null;
  outcome: string | null;
  cancelledAt: string | null;
  cancelledFor: string | null;
}

export interface ParkedFact {
  parkedId: string;
  processManager: string;
  eventType: string;
  streamId: string;
  commandType: string;
  reason: { code: string; message: string };
  parkedAt: string;
  status: 'parked' | 'resolved' | 'dismissed';
  attempts: number;
  lastChangedAt: string;
}

export interface CapacityKpisView {
  bedRequests: Record<string, BedRequestFact>;
  packages: Record<string, PackageFact>;
  parked: Record<string, ParkedFact>;
  /** Last revision folded per stream: evolve is idempotent by (streamId, revision). */
  revisions: Record<string, number>;
}

type Data = Record<string, unknown>;

export const CAPACITY_KPIS = 'capacity-kpis';

export const capacityKpis: Projection<CapacityKpisView> = {
  name: CAPACITY_KPIS,
  version: 1,
  categories: ['bedRequest', 'bed', 'homeCarePackage', 'parkedMessage'],
  initial: () => ({ bedRequests: {}, packages: {}, parked: {}, revisions: {} }),
  // In place, as discharge-kpis: the engine owns the view.
  evolve: (view, event: RecordedEvent) => {
    const seen = view.revisions[event.streamId];
    if (seen !== undefined && event.revision <= seen) return view;
    view.revisions[event.streamId] = event.revision;
    const data = event.data as Data;
    switch (event.type) {
      case 'BedRequestOpened':
        view.bedRequests[data.requestId as string] = {
          origin: data.origin as string,
          area: data.area as string,
          pathway: data.pathway as number,
          category: data.bedCategory as string,
          openedAt: data.openedAt as string,
          admittedAt: null,
          closedAt: null,
          closedFor: null,
        };
        return view;
      case 'PatientAdmitted': {
        const request = view.bedRequests[data.requestId as string];
        if (request && request.admittedAt === null) request.admittedAt = data.admittedAt as string;
        return view;
      }
      case 'BedRequestClosed': {
        const request = view.bedRequests[data.requestId as string];
        if (request) {
          request.closedAt = data.closedAt as string;
          request.closedFor = data.reason as string;
        }
        return view;
      }
      case 'PackageRequested':
        view.packages[data.packageId as string] = {
          origin: data.origin as string,
          area: data.area as string,
          requestedAt: data.requestedAt as string,
          providerId: null,
          startedOn: null,
          endedOn: null,
          outcome: null,
          cancelledAt: null,
          cancelledFor: null,
        };
        return view;
      case 'PackageAccepted':
      case 'PackageStarted':
      case 'PackageEnded':
      case 'PackageRequestCancelled': {
        const fact = view.packages[data.packageId as string];
        if (!fact) return view;
        if (event.type === 'PackageAccepted') fact.providerId = data.providerId as string;
        if (event.type === 'PackageStarted') fact.startedOn = data.startedOn as LondonDate;
        if (event.type === 'PackageEnded') {
          fact.endedOn = data.endedOn as LondonDate;
          fact.outcome = data.outcome as string;
        }
        if (event.type === 'PackageRequestCancelled') {
          fact.cancelledAt = data.cancelledAt as string;
          fact.cancelledFor = data.reason as string;
        }
        return view;
      }
      case 'MessageParked':
        view.parked[data.parkedId as string] = {
          parkedId: data.parkedId as string,
          processManager: data.processManager as string,
          eventType: data.eventType as string,
          streamId: data.streamId as string,
          commandType: (data.command as { type: string }).type,
          reason: data.reason as ParkedFact['reason'],
          parkedAt: data.parkedAt as string,
          status: 'parked',
          attempts: 1,
          lastChangedAt: data.parkedAt as string,
        };
        return view;
      case 'ParkedMessageRetried': {
        const parked = view.parked[data.parkedId as string];
        if (parked) {
          parked.status = data.outcome === 'resolved' ? 'resolved' : 'parked';
          if (data.reason) parked.reason = data.reason as ParkedFact['reason'];
          parked.attempts += 1;
          parked.lastChangedAt = data.retriedAt as string;
        }
        return view;
      }
      case 'ParkedMessageDismissed': {
        const parked = view.parked[data.parkedId as string];
        if (parked) {
          parked.status = 'dismissed';
          parked.lastChangedAt = data.dismissedAt as string;
        }
        return view;
      }
      default:
        return view;
    }
  },
};

// ─── Queries ────────────────────────────────────────────────────────────────────────────────────────────

const within = (date: LondonDate, window: { firstDate: LondonDate; lastDate: LondonDate }) =>
  date >= window.firstDate && date <= window.lastDate;
const windowOf = (w: LondonWindow) => ({ firstDate: w.firstDate, lastDate: w.lastDate, days: w.days });
const round2 = (x: number) => Math.round(x * 100) / 100;
const emptyBuckets = () => Object.fromEntries(DAYS_WAITING_BUCKETS.map((b) => [b.label, 0])) as Record<DaysWaitingBucket, number>;
const tally = (keys: readonly string[]) => {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};
const perWindow = <R>(today: LondonDate, f: (w: LondonWindow) => R): Record<KpiWindow, R> => {
  const windows = kpiWindows(today);
  return Object.fromEntries(KPI_WINDOWS.map((w) => [w, f(windows[w])])) as Record<KpiWindow, R>;
};

// Bed base ---------------------------------------------------------------------------------------------------

export const BED_START_SERVICE_LEVEL = 'bed-based-intermediate-care-start';

export interface BedStartFigures extends ServiceLevelFigures {
  window: { firstDate: LondonDate; lastDate: LondonDate; days: number };
  /** Requests opened in the window that closed without an admission (compensations, the hub's decision). */
  closedWithoutAdmission: number;
}

/** Bed-based intermediate care starting within the service level (2 London calendar days) of the request. */
export function bedStartWithinServiceLevel(
  view: CapacityKpisView,
  today: LondonDate,
  referenceData: ReferenceData,
): Record<KpiWindow, BedStartFigures> {
  const level = referenceData.serviceLevel(BED_START_SERVICE_LEVEL)!;
  const requests = Object.values(view.bedRequests);
  return perWindow(today, (window) => {
    const opened = requests.filter((r) => within(londonDate(r.openedAt), window));
    const measured = opened.filter((r) => r.admittedAt !== null);
    const withinLimit = measured.filter((r) =>
      referenceData.serviceLevelMet(BED_START_SERVICE_LEVEL, r.openedAt, r.admittedAt!),
    ).length;
    return {
      window: windowOf(window),
      serviceLevel: level.label,
      limit: level.within,
      withinLimit,
      measured: measured.length,
      share: percent(withinLimit, measured.length),
      waiting: opened.filter((r) => r.admittedAt === null && r.closedAt === null).length,
      returned: 0,
      closedWithoutAdmission: opened.filter((r) => r.admittedAt === null && r.closedAt !== null).length,
    };
  });
}

export interface BedBaseKpis {
  /** The instant the bed board was read at. */
  at: string;
  beds: Omit<BedBaseSummary, 'longStays'>;
  longStays: { thresholdDays: number; count: number; stays: LongStay[] };
  bedStart: Record<KpiWindow, BedStartFigures>;
  /** Open requests (not admitted, not closed) at `at`, by origin: community referrals' requests are counted too. */
  openRequests: { total: number; byOrigin: Record<string, number> };
}

export function bedBaseKpis(
  board: BedBoardView,
  view: CapacityKpisView,
  today: LondonDate,
  at: string,
  referenceData: ReferenceData,
): BedBaseKpis {
  const { longStays: longStayCount, ...beds } = summaryOf(board, at);
  const stays = longStays(board, at);
  const open = Object.values(view.bedRequests).filter((r) => r.admittedAt === null && r.closedAt === null);
  return {
    at,
    beds,
    longStays: { thresholdDays: longStayCount.thresholdDays, count: stays.length, stays },
    bedStart: bedStartWithinServiceLevel(view, today, referenceData),
    openRequests: { total: open.length, byOrigin: tally(open.map((r) => r.origin)) },
  };
}

// D2A --------------------------------------------------------------------------------------------------------

/** Today and the next 14 days. */
export const D2A_CAPACITY_DAYS = 15;

interface HoursCell {
  date: LondonDate;
  declaredHours: number;
  heldHours: number;
  committedHours: number;
  freeHours: number;
}

const hours = (cells: readonly HoursCell[], date: LondonDate): HoursCell => {
  const total = (of: (c: HoursCell) => number) => round2(cells.reduce((n, c) => n + of(c), 0));
  return {
    date,
    declaredHours: total((c) => c.declaredHours),
    heldHours: total((c) => c.heldHours),
    committedHours: total((c) => c.committedHours),
    freeHours: total((c) => c.freeHours),
  };
};

export interface RequestToStartFigures {
  window: { firstDate: LondonDate; lastDate: LondonDate; days: number };
  count: number;
  totalDays: number;
  meanDays: number | null;
  withinTarget: number;
  share: number | null;
  distribution: Record<DaysWaitingBucket, number>;
}

export interface OutcomeFigures {
  window: { firstDate: LondonDate; lastDate: LondonDate; days: number };
  ended: number;
  byOutcome: Record<string, number>;
  cancelled: number;
  byCancellationReason: Record<string, number>;
}

export function d2aKpis(home: HomeCareView, view: CapacityKpisView, today: LondonDate, at: string) {
  const grid = ledgerGrid(home, today, D2A_CAPACITY_DAYS);
  const byProvider = grid.providers.map((p) => ({
    providerId: p.providerId,
    name: p.name,
    status: p.status,
    localities: p.localities.map((l) => l.locality),
    days: grid.dates.map((date, i) =>
      hours(
        p.localities.map((l) => l.days[i]),
        date,
      ),
    ),
    workforce: p.workforce,
  }));
  const byArea = grid.byLocality.map((l) => ({
    area: l.locality,
    days: l.days.map((d) => ({ ...hours([d], d.date), providersReturned: d.providersReturned })),
  }));
  const total = grid.dates.map((date, i) =>
    hours(
      byProvider.map((p) => p.days[i]),
      date,
    ),
  );

  const waiting = waitingList(home, at);
  const packages = Object.values(view.packages);
  const started = packages.filter((p) => p.startedOn !== null);
  const requestToStart = perWindow(today, (window): RequestToStartFigures => {
    const days = started
      .filter((p) => within(p.startedOn!, window))
      .map((p) => londonDaysBetween(londonDate(p.requestedAt), p.startedOn!));
    const distribution = emptyBuckets();
    for (const d of days) distribution[bucketOf(d)] += 1;
    const totalDays = days.reduce((a, b) => a + b, 0);
    const withinTarget = days.filter((d) => d <= D2A_REQUEST_TO_START_TARGET_DAYS).length;
    return {
      window: windowOf(window),
      count: days.length,
      totalDays,
      meanDays: days.length ? round2(totalDays / days.length) : null,
      withinTarget,
      share: percent(withinTarget, days.length),
      distribution,
    };
  });
  const outcomes = perWindow(today, (window): OutcomeFigures => {
    const ended = packages.filter((p) => p.endedOn !== null && within(p.endedOn, window));
    const cancelled = packages.filter((p) => p.cancelledAt !== null && within(londonDate(p.cancelledAt), window));
    return {
      window: windowOf(window),
      ended: ended.length,
      byOutcome: tally(ended.map((p) => p.outcome!)),
      cancelled: cancelled.length,
      byCancellationReason: tally(cancelled.map((p) => p.cancelledFor!)),
    };
  });
  const waitingDays = emptyBuckets();
  for (const w of waiting) waitingDays[bucketOf(w.daysWaiting)] += 1;
  return {
    at,
    capacity: { from: grid.from, to: grid.to, rule: grid.rule, total, byProvider, byArea },
    workforce: {
      date: today,
      riskPercent: 10,
      system: grid.workforce.system,
      providersAtRisk: grid.workforce.providersAtRisk,
    },
    waiting: {
      total: waiting.length,
      awaitingPlacement: waiting.filter((w) => w.status === 'requested').length,
      placedNotStarted: waiting.filter((w) => w.status === 'accepted').length,
      byArea: tally(waiting.map((w) => w.area)),
      byDaysWaiting: waitingDays,
      longestDays: waiting.reduce((m, w) => Math.max(m, w.daysWaiting), 0),
      people: waiting.map((w) => ({
        packageId: w.packageId,
        status: w.status,
        area: w.area,
        requestedAt: w.requestedAt,
        daysWaiting: w.daysWaiting,
      })),
    },
    requestToStart: { targetDays: D2A_REQUEST_TO_START_TARGET_DAYS, ...requestToStart },
    outcomes,
  };
}

export type D2aKpis = ReturnType<typeof d2aKpis>;

// Parked messages ------------------------------------------------------------------------------------------------

export function parkedMessagesKpis(view: CapacityKpisView) {
  const all = Object.values(view.parked);
  const parked = all.filter((p) => p.status === 'parked').sort((a, b) => a.parkedAt.localeCompare(b.parkedAt));
  return {
    count: parked.length,
    byProcessManager: tally(parked.map((p) => p.processManager)),
    byReason: tally(parked.map((p) => p.reason.code)),
    resolved: all.filter((p) => p.status === 'resolved').length,
    dismissed: all.filter((p) => p.status === 'dismissed').length,
    oldestParkedAt: parked[0]?.parkedAt ?? null,
    list: parked.map((p) => ({
      parkedId: p.parkedId,
      processManager: p.processManager,
      eventType: p.eventType,
      streamId: p.streamId,
      commandType: p.commandType,
      reason: p.reason,
      parkedAt: p.parkedAt,
      attempts: p.attempts,
    })),
  };
}

export type ParkedMessagesKpis = ReturnType<typeof parkedMessagesKpis>;

export interface CapacityKpis {
  bedBase: BedBaseKpis;
  d2a: D2aKpis;
  parkedMessages: ParkedMessagesKpis;
}

/** Every bed-base, D2A and parked-message KPI for London date `today`, the views read at instant `at`. */
export function capacityKpisOn(
  views: { board: BedBoardView; home: HomeCareView; facts: CapacityKpisView },
  today: LondonDate,
  at: string,
  referenceData: ReferenceData,
): CapacityKpis {
  return {
    bedBase: bedBaseKpis(views.board, views.facts, today, at, referenceData),
    d2a: d2aKpis(views.home, views.facts, today, at),
    parkedMessages: parkedMessagesKpis(views.facts),
  };
}
