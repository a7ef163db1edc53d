import { categoryOf, type RecordedEvent } from '@app/event-sourcing';
import type { Projection } from '@app/projections';
import { addLondonDays, londonDate, londonDaysBetween, type LondonDate } from '@app/time';
import {
  currentReturn,
  evolveCapacityLedger,
  initialCapacityLedger,
  ledgerIdOf,
  ledgerTotals,
  type CapacityLedger,
  type CapacityLedgerEvent,
} from './capacity-ledger';
import {
  evolveHomeCarePackage,
  initialHomeCarePackage,
  type HomeCarePackage,
  type HomeCarePackageEvent,
  type PackageOutcome,
} from './home-care-package';
import { evolveProvider, initialProvider, type Provider, type ProviderEvent } from './provider';
import { isWorkforceAtRisk, pooledWorkforceAbsence, workforceAbsencePercent } from './workforce';

export const HOME_CARE_VIEW = 'home-care-view';

export interface ProviderEntry {
  state: Exclude<Provider, { status: 'none' }>;
  revision: number;
}

export interface LedgerEntry {
  state: CapacityLedger;
  revision: number;
}

export interface PackageEntry {
  state: Exclude<HomeCarePackage, { status: 'none' }>;
  revision: number;
  lastChangedAt: string;
  /** Kept past the end of the package, which its state forgets. */
  startedOn: LondonDate | null;
  endedOn: LondonDate | null;
  outcome: PackageOutcome | null;
  /** The latest reablement review's figure, else the hours requested. */
  hoursPerWeekNow: number;
}

/**
 * D2A home care as the hub and each provider see it: providers, every capacity ledger and every package,
 * each folded with its own decider's evolve. Ids, codes and hours only: no person is identifiable from it.
 */
export interface HomeCareView {
  providers: Record<string, ProviderEntry>;
  ledgers: Record<string, LedgerEntry>;
  packages: Record<string, PackageEntry>;
}

export const homeCareView: Projection<HomeCareView> = {
  name: HOME_CARE_VIEW,
  version: 1,
  categories: ['provider', 'capacityLedger', 'homeCarePackage'],
  initial: () => ({ providers: {}, ledgers: {}, packages: {} }),
  // In place, like the hub's projections: the engine owns the view, and copying every ledger per event is quadratic.
  evolve: (view, event: RecordedEvent) => {
    const data = event.data as { providerId?: string; ledgerId?: string; packageId?: string };
    switch (categoryOf(event.streamId)) {
      case 'provider': {
        const id = data.providerId!;
        const state = evolveProvider(view.providers[id]?.state ?? initialProvider(), event as unknown as ProviderEvent);
        if (state.status !== 'none') view.providers[id] = { state, revision: event.revision };
        return view;
      }
      case 'capacityLedger': {
        const id = data.ledgerId!;
        const state = evolveCapacityLedger(
          view.ledgers[id]?.state ?? initialCapacityLedger(),
          event as unknown as CapacityLedgerEvent,
        );
        view.ledgers[id] = { state, revision: event.revision };
        return view;
      }
      case 'homeCarePackage': {
        const id = data.packageId!;
        const entry = view.packages[id];
        const typed = event as unknown as HomeCarePackageEvent;
        const state = evolveHomeCarePackage(entry?.state ?? initialHomeCarePackage(), typed);
        if (state.status === 'none') return view;
        view.packages[id] = {
          state,
          revision: event.revision,
          lastChangedAt: event.recordedAt,
          startedOn: typed.type === 'PackageStarted' ? typed.data.startedOn : (entry?.startedOn ?? null),
          endedOn: typed.type === 'PackageEnded' ? typed.data.endedOn : (entry?.endedOn ?? null),
          outcome: typed.type === 'PackageEnded' ? typed.data.outcome : (entry?.outcome ?? null),
          hoursPerWeekNow:
            typed.type === 'ReablementReviewRecorded'
              ? typed.data.hoursPerWeekNow
              : (entry?.hoursPerWeekNow ?? state.hoursPerWeek),
        };
        return view;
      }
      default:
        return view;
    }
  },
};

// ─── Queries (pure; `now` comes from the caller's clock) ──────────────────────────────────────────────────

export interface CapacityCell {
  date: LondonDate;
  /** False when the provider has posted no return for this locality and date: every figure is then 0. */
  returned: boolean;
  /** The ledger's revision, for If-Match on a correction; null before the first return. */
  revision: number | null;
  declaredHours: number;
  heldHours: number;
  committedHours: number;
  /** declared − held − committed; below zero after a hub override or a return corrected downwards. */
  freeHours: number;
  declaredPackages: number;
  heldPackages: number;
  committedPackages: number;
  freePackages: number;
  workforceAbsencePercent: number | null;
  workforceAtRisk: boolean;
}

export const datesFrom = (from: LondonDate, days: number): LondonDate[] =>
  Array.from({ length: days }, (_, i) => addLondonDays(from, i));

export const capacityCell = (view: HomeCareView, providerId: string, locality: string, date: LondonDate): CapacityCell => {
  const entry = view.ledgers[ledgerIdOf({ providerId, locality, date })];
  const state = entry?.state ?? initialCapacityLedger();
  const staffing = currentReturn(state)?.staffing ?? null;
  return {
    date,
    returned: currentReturn(state) !== undefined,
    revision: entry?.revision ?? null,
    ...ledgerTotals(state),
    workforceAbsencePercent: staffing ? workforceAbsencePercent(staffing) : null,
    workforceAtRisk: staffing ? isWorkforceAtRisk(staffing) : false,
  };
};

/** Pooled over the returns of one date: the share of all care workers rostered who are absent. */
const workforceOn = (view: HomeCareView, providerIds: readonly string[], date: LondonDate) =>
  pooledWorkforceAbsence(
    providerIds.flatMap((providerId) =>
      (view.providers[providerId]?.state.localities ?? []).map(
        (locality) =>
          currentReturn(view.ledgers[ledgerIdOf({ providerId, locality, date })]?.state ?? initialCapacityLedger())?.staffing,
      ),
    ),
  );

const providerSummary = (entry: ProviderEntry) => ({
  providerId: entry.state.providerId,
  name: entry.state.name,
  status: entry.state.status,
  suspendedFor: entry.state.status === 'suspended' ? entry.state.suspendedFor : null,
  localities: [...entry.state.localities],
  revision: entry.revision,
});

export const providerList = (view: HomeCareView, onlyProviderId?: string) =>
  Object.values(view.providers)
    .filter((entry) => onlyProviderId === undefined || entry.state.providerId === onlyProviderId)
    .sort((a, b) => a.state.providerId.localeCompare(b.state.providerId))
    .map(providerSummary);

const capacityOf = (view: HomeCareView, entry: ProviderEntry, dates: readonly LondonDate[]) => ({
  ...providerSummary(entry),
  /** Pooled across the provider's localities on the first day; more than 10% absent is flagged. */
  workforce: workforceOn(view, [entry.state.providerId], dates[0]),
  localities: entry.state.localities.map((locality) => ({
    locality,
    days: dates.map((date) => capacityCell(view, entry.state.providerId, locality, date)),
  })),
});

const sumCells = (date: LondonDate, cells: readonly CapacityCell[]) => {
  const total = (of: (cell: CapacityCell) => number) => Math.round(cells.reduce((n, c) => n + of(c), 0) * 100) / 100;
  return {
    date,
    providersReturned: cells.filter((c) => c.returned).length,
    declaredHours: total((c) => c.declaredHours),
    heldHours: total((c) => c.heldHours),
    committedHours: total((c) => c.committedHours),
    freeHours: total((c) => c.freeHours),
    declaredPackages: total((c) => c.declaredPackages),
    heldPackages: total((c) => c.heldPackages),
    committedPackages: total((c) => c.committedPackages),
    freePackages: total((c) => c.freePackages),
  };
};

/** The hub's grid: provider × locality × day, totals by locality, and the workforce flags on the first day. */
export const ledgerGrid = (view: HomeCareView, from: LondonDate, days: number) => {
  const dates = datesFrom(from, days);
  const providers = Object.values(view.providers).sort((a, b) => a.state.providerId.localeCompare(b.state.providerId));
  const grid = providers.map((entry) => capacityOf(view, entry, dates));
  const localities = [...new Set(providers.flatMap((p) => p.state.localities))].sort();
  return {
    from,
    to: dates[dates.length - 1],
    dates,
    rule: 'free = declared − held − committed',
    providers: grid,
    byLocality: localities.map((locality) => ({
      locality,
      days: dates.map((date, i) =>
        sumCells(
          date,
          grid.flatMap((p) => p.localities.filter((l) => l.locality === locality).map((l) => l.days[i])),
        ),
      ),
    })),
    workforce: {
      date: from,
      system: workforceOn(
        view,
        providers.map((p) => p.state.providerId),
        from,
      ),
      providersAtRisk: grid.filter((p) => p.workforce.atRisk).map((p) => p.providerId),
    },
  };
};

const daysBetween = (fromInstant: string, to: LondonDate) => londonDaysBetween(londonDate(fromInstant), to);

/** The package as a provider may see it: its own offers only. */
export const packageSummary = (entry: PackageEntry, now: string, forProviderId?: string) => {
  const { state } = entry;
  const offers = state.offers.filter((o) => forProviderId === undefined || o.providerId === forProviderId);
  const accepted = 'acceptedOfferId' in state ? state.offers.find((o) => o.offerId === state.acceptedOfferId) : undefined;
  return {
    packageId: state.packageId,
    revision: entry.revision,
    status: state.status,
    origin: state.origin,
    caseId: forProviderId === undefined ? state.caseId : undefined,
    area: state.area,
    hoursPerWeek: state.hoursPerWeek,
    hoursPerWeekNow: entry.hoursPerWeekNow,
    requestedAt: state.requestedAt,
    providerId: accepted?.providerId ?? null,
    startOn: accepted?.startOn ?? null,
    startedOn: entry.startedOn,
    endedOn: entry.endedOn,
    outcome: entry.outcome,
    cancelledFor: state.status === 'cancelled' ? state.reason : null,
    daysFromRequestToStart: entry.startedOn ? londonDaysBetween(londonDate(state.requestedAt), entry.startedOn) : null,
    lastChangedAt: entry.lastChangedAt,
    offers: offers.map((o) => ({ ...o, lapsed: o.status === 'open' && Date.parse(o.expiresAt) <= Date.parse(now) })),
  };
};

/** Whose package it is: the provider whose offer was accepted. */
export const placedWith = (entry: PackageEntry): string | null => {
  const { state } = entry;
  return 'acceptedOfferId' in state ? (state.offers.find((o) => o.offerId === state.acceptedOfferId)?.providerId ?? null) : null;
};

export const packageList = (view: HomeCareView, now: string, forProviderId?: string) =>
  Object.values(view.packages)
    .filter((entry) => forProviderId === undefined || placedWith(entry) === forProviderId)
    .sort((a, b) => b.lastChangedAt.localeCompare(a.lastChangedAt))
    .map((entry) => packageSummary(entry, now, forProviderId));

/** People waiting for a package: requested and not yet placed, or placed and not yet started. Longest wait first. */
export const waitingList = (view: HomeCareView, now: string) => {
  const today = londonDate(now);
  return Object.values(view.packages)
    .filter((entry) => entry.state.status === 'requested' || entry.state.status === 'accepted')
    .map(({ state }) => ({
      packageId: state.packageId,
      caseId: state.caseId,
      referralId: state.referralId,
      status: state.status,
      area: state.area,
      hoursPerWeek: state.hoursPerWeek,
      requestedAt: state.requestedAt,
      daysWaiting: daysBetween(state.requestedAt, today),
      offersOut: state.offers.filter((o) => o.status === 'open' && Date.parse(o.expiresAt) > Date.parse(now)).length,
      offersDeclined: state.offers.filter((o) => o.status === 'declined').length,
    }))
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
};

/** A provider's own screen: its capacity for today and the next 14 days, its open offers, its packages. */
export const providerScreen = (view: HomeCareView, providerId: string, now: string, days: number) => {
  const entry = view.providers[providerId];
  if (!entry) return undefined;
  const dates = datesFrom(londonDate(now), days);
  const openOffers = Object.values(view.packages).flatMap((pkg) =>
    pkg.state.status !== 'requested'
      ? []
      : pkg.state.offers
          .filter((o) => o.providerId === providerId && o.status === 'open' && Date.parse(o.expiresAt) > Date.parse(now))
          .map((o) => ({
            packageId: pkg.state.packageId,
            packageRevision: pkg.revision,
            offerId: o.offerId,
            area: pkg.state.area,
            hoursPerWeek: o.hoursPerWeek,
            startOn: o.startOn,
            expiresAt: o.expiresAt,
          })),
  );
  return {
    ...capacityOf(view, entry, dates),
    offers: openOffers.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt)),
    packages: packageList(view, now, providerId),
  };
};
