import { categoryOf, type Actor, type RecordedEvent, type Role } from '@app/event-sourcing';
import type { CaseListView } from '@app/discharge';
import { BED_BOARD, boardRows, summaryOf, type BedBoardView, type BedStatus } from '@app/bed-base';
import { HOME_CARE_VIEW, ledgerGrid, ledgerKeyOf, placedWith, waitingList, type HomeCareView } from '@app/home-care';
import type { ReferenceData } from '@app/reference-data';
import { londonDate, type LondonDate } from '@app/time';
import { kpisAnswer, type KpiViews } from '../kpis/answer';
import { countForLeader, pathwaySharesForLeader, suppressionOf } from '../kpis/for-leader';
import { CAPACITY_KPIS, D2A_CAPACITY_DAYS } from '../projections/capacity-kpis';
import type { DischargeKpisView } from '../projections/discharge-kpis';
import { pathwaySharesOn, type PathwaySharesView } from '../projections/pathway-shares';

/** The views a screen may follow, and the projections each is read from (all must be kept by the deployment). */
export const LIVE_VIEWS = {
  'pathway-shares': ['pathway-shares'],
  'case-list': ['discharge-case-list'],
  'bed-board': [BED_BOARD],
  capacity: [HOME_CARE_VIEW],
  kpis: ['discharge-kpis', BED_BOARD, HOME_CARE_VIEW, CAPACITY_KPIS],
} as const satisfies Record<string, readonly string[]>;
export type LiveView = keyof typeof LIVE_VIEWS;

/**
 * One room's scope: the whole view, or one area's part of it; a ward's case list is always its own trust's, a
 * provider's capacity always its own. `aggregate` rooms carry aggregates only, with small counts of people
 * suppressed as the leader KPIs are (for-leader.ts): leaders' pathway-shares and kpis, leaders' and wards' bed board.
 */
export interface LiveSubscription {
  view: LiveView;
  area: string | null;
  trust: string | null;
  provider: string | null;
  aggregate: boolean;
}

export interface LiveRefusal {
  code: 'INVALID_SUBSCRIPTION' | 'VIEW_NOT_PERMITTED' | 'VIEW_UNAVAILABLE';
  message: string;
}

const AREA = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;
const PROVIDER = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * `view:<name>`, then `:trust:<ODS>` for a ward's case list or `:provider:<id>` for one provider's capacity, then
 * `:area:<AREA>` when narrowed to an area, then `:aggregate` for the suppressed, aggregates-only cut.
 */
export const roomOf = (s: LiveSubscription) =>
  `view:${s.view}${s.trust ? `:trust:${s.trust}` : ''}${s.provider ? `:provider:${s.provider}` : ''}` +
  `${s.area ? `:area:${s.area}` : ''}${s.aggregate ? ':aggregate' : ''}`;

const WHO_MAY: Record<LiveView, { roles: readonly Role[]; rule: string }> = {
  'pathway-shares': {
    roles: ['hub', 'leader', 'admin'],
    rule: 'pathway-shares is for the hub, leader and admin roles (leaders get small counts suppressed)',
  },
  'case-list': {
    roles: ['hub', 'ward'],
    rule: 'case-list is for the hub, and for wards (their own trust’s cases only); it is never sent to leaders or providers',
  },
  'bed-board': {
    roles: ['hub', 'leader', 'ward'],
    rule: 'bed-board is for the hub (the board) and for leaders and wards (the summary only)',
  },
  capacity: {
    roles: ['hub', 'provider'],
    rule: 'capacity is for the hub, and for providers (their own rows only)',
  },
  kpis: { roles: ['hub', 'leader', 'admin'], rule: 'kpis is for the hub, leader and admin roles (leaders get them suppressed)' },
};

/** Which rooms carry aggregates only: what a leader (and a ward, on the bed board) may follow. */
const AGGREGATE_FOR: Record<LiveView, readonly Role[]> = {
  'pathway-shares': ['leader'],
  'case-list': [],
  'bed-board': ['leader', 'ward'],
  capacity: [],
  kpis: ['leader'],
};

/** What `subscribe` asked for, checked against the actor's role: the room to join, or the rule that refuses it. */
export function subscriptionFor(actor: Actor, request: unknown): LiveSubscription | LiveRefusal {
  const invalid = (message: string): LiveRefusal => ({ code: 'INVALID_SUBSCRIPTION', message });
  const notPermitted = (message: string): LiveRefusal => ({ code: 'VIEW_NOT_PERMITTED', message });
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    return invalid('subscribe takes { view, area? } (and provider? for capacity)');
  const { view, area, provider, ...rest } = request as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return invalid(`subscribe does not take ${unknown.join(', ')}`);
  if (typeof view !== 'string' || !Object.hasOwn(LIVE_VIEWS, view))
    return invalid(`view must be one of ${Object.keys(LIVE_VIEWS).join(', ')}`);
  if (area !== undefined && (typeof area !== 'string' || !AREA.test(area)))
    return invalid('area must be an area code: capitals, digits, underscores and hyphens');
  if (provider !== undefined && view !== 'capacity') return invalid('provider applies to the capacity view only');
  if (provider !== undefined && (typeof provider !== 'string' || !PROVIDER.test(provider)))
    return invalid('provider must be a provider id: letters, digits, underscores and hyphens');
  const who = WHO_MAY[view as LiveView];
  if (!who.roles.includes(actor.role)) return notPermitted(`${who.rule}; you are signed in as ${actor.role}`);
  // Leaders follow whole-system figures only: one area's figures for one day are mostly small counts.
  if (area !== undefined && actor.role === 'leader' && view !== 'bed-board')
    return notPermitted(`leaders see ${view} for the whole system only: per-area figures would show small counts`);
  if (actor.role === 'provider' && provider !== undefined && provider !== actor.organisation)
    return notPermitted(`a provider follows its own capacity only (${actor.organisation}), not ${provider as string}`);
  return {
    view: view as LiveView,
    area: (area as string | undefined) ?? null,
    trust: view === 'case-list' && actor.role === 'ward' ? actor.organisation : null,
    provider:
      view === 'capacity' ? (actor.role === 'provider' ? actor.organisation : ((provider as string | undefined) ?? null)) : null,
    aggregate: AGGREGATE_FOR[view as LiveView].includes(actor.role),
  };
}

export const isRefusal = (x: LiveSubscription | LiveRefusal): x is LiveRefusal => 'code' in x;

/** Where a change happened, as far as rooms care; what is unknown is left out. */
export interface ChangeSite {
  hospital?: string;
  area?: string;
  /** A trust-wide figure that no area's view includes (the activity feed). */
  noArea?: boolean;
  /** The providers whose own rows the change may alter (none: no provider's room). */
  providers?: readonly string[];
}

/** Whether a change at `site` may alter what `subscription`'s room shows. A change of unknown site reaches every room. */
export function touches(
  subscription: Pick<LiveSubscription, 'trust' | 'area'> & { provider?: string | null },
  site: ChangeSite,
): boolean {
  if (subscription.trust && site.hospital !== undefined && site.hospital !== subscription.trust) return false;
  if (subscription.area && (site.noArea || (site.area !== undefined && site.area !== subscription.area))) return false;
  if (subscription.provider && site.providers !== undefined && !site.providers.includes(subscription.provider)) return false;
  return true;
}

/**
 * Only these move the pathway-shares figures; the projection also sees every other case event (it keeps a
 * case's hospital and area), and pushing for those would send the same figures again and use up the window.
 */
export const FIGURE_EVENTS: ReadonlySet<string> = new Set(['PatientDischarged', 'AcuteDischargesReported']);

/** Where a pathway-shares change happened: a discharge in its case's area; a trust's feed counts only area-wide. */
export function pathwaySharesSite(view: PathwaySharesView, event: RecordedEvent): ChangeSite | null {
  if (!FIGURE_EVENTS.has(event.type)) return null;
  if (event.type === 'AcuteDischargesReported') return { noArea: true };
  const known = view.cases[(event.data as { caseId?: string }).caseId ?? ''];
  return { hospital: known?.hospital, area: known?.area };
}

/** The figures for one area: its referred discharges only, since the trusts' activity feed is not split by area. */
export function inArea(view: PathwaySharesView, area: string): PathwaySharesView {
  const referred: PathwaySharesView['referred'] = {};
  for (const [date, byKey] of Object.entries(view.referred)) {
    for (const [key, counts] of Object.entries(byKey)) {
      if (key.split('|')[1] === area) (referred[date] ??= {})[key] = counts;
    }
  }
  return { cases: {}, referred, feed: {} };
}

/**
 * The same figures `GET /api/hub/pathway-shares` answers for today, narrowed to the room's area; in an aggregate
 * (leader) room, suppressed as that endpoint suppresses them for a leader.
 */
export function pathwaySharesPayload(
  current: { view: PathwaySharesView; position: bigint | undefined },
  today: LondonDate,
  subscription: Pick<LiveSubscription, 'area' | 'aggregate'>,
  referenceData: ReferenceData,
) {
  const view = subscription.area ? inArea(current.view, subscription.area) : current.view;
  const answer = { date: today, asOf: null, position: current.position?.toString() ?? null, ...pathwaySharesOn(view, today) };
  return subscription.aggregate ? pathwaySharesForLeader(answer, referenceData) : answer;
}

/** A case as the live feed carries it: codes and times only. Screens fetch a person's details over HTTP. */
export interface LiveCaseRow {
  caseId: string;
  revision: number;
  status: string;
  pathway: number | null;
  hospital: string;
  lastChangedAt: string;
  followUpDue: boolean;
}

/** The room's cases, newest change first, at most `limit` (as the HTTP list). `total` counts them all. */
export function caseListPayload(
  current: { view: CaseListView; position: bigint | undefined },
  subscription: Pick<LiveSubscription, 'trust' | 'area'>,
  areaOf: (caseId: string) => string | undefined,
  limit = 500,
) {
  const rows: LiveCaseRow[] = [];
  for (const { state, revision, lastChangedAt, followUpDue } of Object.values(current.view.cases)) {
    if (state.status === 'none') continue;
    if (subscription.trust && state.hospital !== subscription.trust) continue;
    if (subscription.area && areaOf(state.caseId) !== subscription.area) continue;
    rows.push({
      caseId: state.caseId,
      revision,
      status: state.status,
      pathway: state.plan?.pathway ?? null,
      hospital: state.hospital,
      lastChangedAt,
      followUpDue,
    });
  }
  rows.sort((a, b) => b.lastChangedAt.localeCompare(a.lastChangedAt));
  return { position: current.position?.toString() ?? null, total: rows.length, cases: rows.slice(0, limit) };
}

// ─── bed-board ──────────────────────────────────────────────────────────────────────────────────────────

/** Where a bed-board change happened: its site's area. Requests are not on the board's rows or summary. */
export function bedBoardSite(view: BedBoardView, event: RecordedEvent): ChangeSite | null {
  const category = categoryOf(event.streamId);
  if (category !== 'site' && category !== 'bed') return null;
  const { siteId, bedId } = event.data as { siteId?: string; bedId?: string };
  const site = view.sites[siteId ?? view.beds[bedId ?? '']?.siteId ?? ''];
  return site ? { area: site.locality } : {};
}

/** A bed as the hub's live board carries it: codes and times, and the case id (never a name) holding it. */
export interface LiveBedRow {
  bedId: string;
  label: string;
  siteId: string;
  siteName: string;
  area: string;
  pathway: number;
  tier: number;
  category: string;
  status: BedStatus;
  since: string;
  closureReason: string | null;
  caseId: string | null;
}

const bedsInArea = (view: BedBoardView, area: string): BedBoardView => {
  const sites = Object.fromEntries(Object.entries(view.sites).filter(([, site]) => site.locality === area));
  const beds = Object.fromEntries(Object.entries(view.beds).filter(([, bed]) => sites[bed.siteId] !== undefined));
  return { sites, beds, requests: {} };
};

/**
 * The hub's room: every commissioned bed (`rows`). An aggregate room (leaders, wards): the bed-base summary only
 * — counts by tier, site, area and category, and the long stays as a count of people, suppressed when small.
 */
export function bedBoardPayload(
  current: { view: BedBoardView; position: bigint | undefined },
  subscription: Pick<LiveSubscription, 'area' | 'aggregate'>,
  now: string,
  referenceData: ReferenceData,
) {
  const view = subscription.area ? bedsInArea(current.view, subscription.area) : current.view;
  const position = current.position?.toString() ?? null;
  if (subscription.aggregate) {
    const summary = summaryOf(view, now);
    return {
      position,
      at: now,
      suppression: suppressionOf(referenceData),
      summary: {
        ...summary,
        longStays: {
          thresholdDays: summary.longStays.thresholdDays,
          count: countForLeader(summary.longStays.count, referenceData),
        },
      },
    };
  }
  const rows: LiveBedRow[] = boardRows(view, true).map((row) => ({
    bedId: row.bedId,
    label: row.label,
    siteId: row.siteId,
    siteName: row.siteName,
    area: row.locality,
    pathway: row.pathway,
    tier: row.tier,
    category: row.category,
    status: row.status,
    since: row.since,
    closureReason: row.closureReason,
    caseId: row.caseId ?? null,
  }));
  return { position, at: now, rows };
}

// ─── capacity ───────────────────────────────────────────────────────────────────────────────────────────

/** The providers a package concerns: every one it was offered to (the accepted offer among them). */
const providersOf = (view: HomeCareView, packageId: string | undefined) =>
  view.packages[packageId ?? '']?.state.offers.map((o) => o.providerId);

/** Where a home-care change happened: the provider (or the package's offered providers) and the area. */
export function capacitySite(view: HomeCareView, event: RecordedEvent): ChangeSite | null {
  const data = event.data as { providerId?: string; ledgerId?: string; packageId?: string };
  switch (categoryOf(event.streamId)) {
    case 'provider':
      return data.providerId ? { providers: [data.providerId] } : {};
    case 'capacityLedger': {
      if (!data.ledgerId) return {};
      const { providerId, locality } = ledgerKeyOf(data.ledgerId);
      return { providers: [providerId], area: locality };
    }
    case 'homeCarePackage': {
      const entry = view.packages[data.packageId ?? ''];
      if (!entry) return {};
      return { area: entry.state.area, providers: [...new Set(providersOf(view, data.packageId))] };
    }
    default:
      return null;
  }
}

/** A package as a provider's room carries it: its own offer or placement, no case or referral id. */
export interface LiveProviderWaitingRow {
  packageId: string;
  status: string;
  area: string;
  hoursPerWeek: number;
  requestedAt: string;
  daysWaiting: number;
}

/**
 * The ledger grid for today and the next 14 days and the waiting list (ids, codes and hours; no names). The hub's
 * whole-system rooms carry every provider, the totals by locality and the system workforce; a provider room
 * (`provider` set: a provider's own, or the hub following one) carries that provider's rows only, and only the
 * waiting packages it holds an open offer on or has accepted, without case or referral ids.
 */
export function capacityPayload(
  current: { view: HomeCareView; position: bigint | undefined },
  subscription: Pick<LiveSubscription, 'area' | 'provider'>,
  now: string,
) {
  const { view } = current;
  const { area, provider } = subscription;
  const grid = ledgerGrid(view, londonDate(now), D2A_CAPACITY_DAYS);
  const inArea = (code: string) => !area || code === area;
  const providers = grid.providers
    .filter((p) => !provider || p.providerId === provider)
    .map((p) => ({ ...p, localities: p.localities.filter((l) => inArea(l.locality)) }));
  const waiting = waitingList(view, now).filter((w) => inArea(w.area));
  const base = {
    position: current.position?.toString() ?? null,
    from: grid.from,
    to: grid.to,
    dates: grid.dates,
    rule: grid.rule,
  };
  if (!provider) {
    return {
      ...base,
      providers,
      byLocality: grid.byLocality.filter((l) => inArea(l.locality)),
      workforce: grid.workforce,
      waiting,
    };
  }
  const open = (o: { status: string; expiresAt: string }) => o.status === 'open' && Date.parse(o.expiresAt) > Date.parse(now);
  const mine = new Set(
    Object.values(view.packages)
      .filter(
        (entry) =>
          (entry.state.status === 'requested' && entry.state.offers.some((o) => o.providerId === provider && open(o))) ||
          (entry.state.status === 'accepted' && placedWith(entry) === provider),
      )
      .map((entry) => entry.state.packageId),
  );
  const own: LiveProviderWaitingRow[] = waiting
    .filter((w) => mine.has(w.packageId))
    .map(({ packageId, status, area: at, hoursPerWeek, requestedAt, daysWaiting }) => ({
      packageId,
      status,
      area: at,
      hoursPerWeek,
      requestedAt,
      daysWaiting,
    }));
  return { ...base, providers, byLocality: null, workforce: null, waiting: own };
}

// ─── kpis ───────────────────────────────────────────────────────────────────────────────────────────────

/** Where a KPI change happened: a discharge case's area; any other change (feeds, beds, D2A, parked) is system-wide. */
export function kpisSite(projection: string, view: unknown, event: RecordedEvent): ChangeSite {
  if (projection !== 'discharge-kpis') return {};
  const caseId = (event.data as { caseId?: string }).caseId;
  const area = caseId ? (view as DischargeKpisView).cases[caseId]?.area : undefined;
  return area ? { area } : {};
}

/** What `GET /api/hub/kpis` answers for today (its area filter when the room has one); suppressed in an aggregate room. */
export function kpisPayload(
  views: KpiViews,
  subscription: Pick<LiveSubscription, 'area' | 'aggregate'>,
  now: string,
  referenceData: ReferenceData,
) {
  return kpisAnswer(
    views,
    {
      date: londonDate(now),
      at: now,
      asOf: null,
      filters: subscription.area ? { area: subscription.area } : {},
      leader: subscription.aggregate,
    },
    referenceData,
  );
}
