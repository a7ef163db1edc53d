import type { RecordedEvent } from '@app/event-sourcing';
import type { Projection } from '@app/projections';
import { londonDate, londonDaysBetween } from '@app/time';
import type { BedEvent, BedHolder, BedSpecification } from './bed';
import type { BedRequestEvent, BedRequestDetails } from './bed-request';
import type { BedClosureReason, SiteClosureReason, SiteKind } from './codes';
import type { CandidateBed, CandidateSite } from './recommendation';
import type { SiteEvent } from './site';

/**
 * The bed board: every site, bed and open request, folded from bed-base's own events in global order.
 * It holds case ids (never names); what each role may see is cut at the query, below.
 */
export interface BoardSite {
  siteId: string;
  name: string;
  kind: SiteKind;
  locality: string;
  odsCode: string;
  closedToAdmissions: { reason: SiteClosureReason; since: string } | null;
  /** When admissions last opened or closed (registration, closure or reopening). */
  admissionsSince: string;
}

export interface BoardBed extends BedSpecification {
  decommissioned: boolean;
  escalationOpen: boolean;
  closure: { reason: BedClosureReason; since: string } | null;
  holder: (BedHolder & { reservedAt: string; expiresAt: string }) | null;
  occupant: (BedHolder & { admittedAt: string }) | null;
  /** When the bed's own state last changed. */
  changedAt: string;
}

export interface BoardRequest extends BedRequestDetails {
  openedAt: string;
  reservation: { bedId: string; reservationId: string; expiresAt: string } | null;
}

export interface BedBoardView {
  sites: Record<string, BoardSite>;
  beds: Record<string, BoardBed>;
  /** Open requests only: a fulfilled or closed request leaves the board. */
  requests: Record<string, BoardRequest>;
}

type BedBaseEvent = SiteEvent | BedEvent | BedRequestEvent;

export const BED_BOARD = 'bed-board';

export const bedBoard: Projection<BedBoardView> = {
  name: BED_BOARD,
  version: 1,
  categories: ['site', 'bed', 'bedRequest'],
  initial: () => ({ sites: {}, beds: {}, requests: {} }),
  // In place: the engine owns the view, and copying every bed per event would make a rebuild quadratic.
  evolve: (view, recorded: RecordedEvent) => {
    const event = recorded as unknown as BedBaseEvent;
    switch (event.type) {
      case 'SiteRegistered': {
        const { siteId, name, kind, locality, odsCode, registeredAt } = event.data;
        view.sites[siteId] = { siteId, name, kind, locality, odsCode, closedToAdmissions: null, admissionsSince: registeredAt };
        return view;
      }
      case 'SiteClosedToAdmissions': {
        const site = view.sites[event.data.siteId];
        if (site) {
          site.closedToAdmissions = { reason: event.data.reason, since: event.data.closedAt };
          site.admissionsSince = event.data.closedAt;
        }
        return view;
      }
      case 'SiteReopenedToAdmissions': {
        const site = view.sites[event.data.siteId];
        if (site) {
          site.closedToAdmissions = null;
          site.admissionsSince = event.data.reopenedAt;
        }
        return view;
      }
      case 'BedCommissioned': {
        const { commissionedAt, ...specification } = event.data;
        view.beds[specification.bedId] = {
          ...specification,
          capabilities: [...specification.capabilities],
          decommissioned: false,
          escalationOpen: false,
          closure: null,
          holder: null,
          occupant: null,
          changedAt: commissionedAt,
        };
        return view;
      }
      case 'BedRequestOpened': {
        const { openedAt, ...details } = event.data;
        view.requests[details.requestId] = { ...details, openedAt, reservation: null };
        return view;
      }
      case 'BedRequestReservationRecorded': {
        const request = view.requests[event.data.requestId];
        if (request) {
          const { bedId, reservationId, expiresAt } = event.data;
          request.reservation = { bedId, reservationId, expiresAt };
        }
        return view;
      }
      case 'BedRequestReservationEnded': {
        const request = view.requests[event.data.requestId];
        if (request?.reservation?.reservationId === event.data.reservationId) request.reservation = null;
        return view;
      }
      case 'BedRequestFulfilled':
      case 'BedRequestClosed':
        delete view.requests[event.data.requestId];
        return view;
      default:
        return evolveBoardBed(view, event);
    }
  },
};

const evolveBoardBed = (view: BedBoardView, event: BedEvent): BedBoardView => {
  const bed = view.beds[event.data.bedId];
  if (!bed) return view;
  switch (event.type) {
    case 'BedDecommissioned':
      bed.decommissioned = true;
      bed.changedAt = event.data.decommissionedAt;
      return view;
    case 'BedClosed':
      bed.closure = { reason: event.data.reason, since: event.data.closedAt };
      bed.changedAt = event.data.closedAt;
      return view;
    case 'BedReopened':
      bed.closure = null;
      bed.changedAt = event.data.reopenedAt;
      return view;
    case 'EscalationBedOpened':
      bed.escalationOpen = true;
      bed.changedAt = event.data.openedAt;
      return view;
    case 'EscalationBedStoodDown':
      bed.escalationOpen = false;
      bed.changedAt = event.data.stoodDownAt;
      return view;
    case 'BedReserved': {
      const { requestId, reservationId, caseId, reservedAt, expiresAt } = event.data;
      bed.holder = { requestId, reservationId, caseId, reservedAt, expiresAt };
      bed.changedAt = reservedAt;
      return view;
    }
    case 'BedReservationReleased':
    case 'BedReservationExpired':
      if (bed.holder?.reservationId === event.data.reservationId) bed.holder = null;
      bed.changedAt = event.type === 'BedReservationReleased' ? event.data.releasedAt : event.data.expiredAt;
      return view;
    case 'PatientAdmitted': {
      const { requestId, reservationId, caseId, admittedAt } = event.data;
      if (bed.holder?.reservationId === reservationId) bed.holder = null;
      bed.occupant = { requestId, reservationId, caseId, admittedAt };
      bed.changedAt = admittedAt;
      return view;
    }
    case 'PatientLeftBed':
      bed.occupant = null;
      bed.changedAt = event.data.leftAt;
      return view;
    default:
      return view;
  }
};

// ─── Queries ────────────────────────────────────────────────────────────────────────────────────────────

export const BED_STATUSES = ['occupied', 'reserved', 'closed', 'stood-down', 'site-closed', 'open'] as const;
export type BedStatus = (typeof BED_STATUSES)[number];

/** One status per bed, the first that applies: a person in it or held for one outranks any closure. */
export const bedStatusOf = (bed: BoardBed, site: BoardSite | undefined): { status: BedStatus; since: string } => {
  if (bed.occupant) return { status: 'occupied', since: bed.occupant.admittedAt };
  if (bed.holder) return { status: 'reserved', since: bed.holder.reservedAt };
  if (bed.closure) return { status: 'closed', since: bed.closure.since };
  if (bed.escalation && !bed.escalationOpen) return { status: 'stood-down', since: bed.changedAt };
  if (site?.closedToAdmissions) return { status: 'site-closed', since: site.closedToAdmissions.since };
  const siteSince = site?.admissionsSince ?? bed.changedAt;
  return { status: 'open', since: siteSince > bed.changedAt ? siteSince : bed.changedAt };
};

export interface BoardRow {
  bedId: string;
  label: string;
  siteId: string;
  siteName: string;
  locality: string;
  pathway: number;
  tier: number;
  category: string;
  funding: string;
  capabilities: readonly string[];
  baySex: string;
  escalation: boolean;
  status: BedStatus;
  since: string;
  /** Coded, when closed or at a closed site. */
  closureReason: string | null;
  /** Hub only: the case the bed is held for or occupied by (an id, never a name). */
  caseId?: string | null;
  requestId?: string | null;
  reservationId?: string | null;
  reservationExpiresAt?: string | null;
}

/** The bed board, commissioned beds only, in site and bed order. Case ids only when `withCases`. */
export const boardRows = (view: BedBoardView, withCases: boolean): BoardRow[] =>
  Object.values(view.beds)
    .filter((bed) => !bed.decommissioned)
    .sort((a, b) => (a.siteId === b.siteId ? cmp(a.bedId, b.bedId) : cmp(a.siteId, b.siteId)))
    .map((bed) => {
      const site = view.sites[bed.siteId];
      const { status, since } = bedStatusOf(bed, site);
      const row: BoardRow = {
        bedId: bed.bedId,
        label: bed.label,
        siteId: bed.siteId,
        siteName: site?.name ?? bed.siteId,
        locality: site?.locality ?? 'unknown',
        pathway: bed.pathway,
        tier: bed.tier,
        category: bed.category,
        funding: bed.funding,
        capabilities: bed.capabilities,
        baySex: bed.baySex,
        escalation: bed.escalation,
        status,
        since,
        closureReason:
          status === 'closed' ? bed.closure!.reason : status === 'site-closed' ? site!.closedToAdmissions!.reason : null,
      };
      if (withCases) {
        const who = bed.occupant ?? bed.holder;
        row.caseId = who?.caseId ?? null;
        row.requestId = who?.requestId ?? null;
        row.reservationId = bed.holder?.reservationId ?? null;
        row.reservationExpiresAt = bed.holder?.expiresAt ?? null;
      }
      return row;
    });

export interface BedCounts {
  /** Every bed not decommissioned, including stood-down escalation beds and beds at a closed site. */
  commissioned: number;
  /** In service: commissioned less closed and stood-down beds (so it includes occupied and reserved ones). */
  open: number;
  closed: number;
  stoodDown: number;
  reserved: number;
  occupied: number;
  /** Open, free beds at a site closed to admissions: not available, still counted. */
  siteClosed: number;
  /** Open, free, at a site taking admissions. */
  available: number;
  /** Occupied as a percentage of open beds, one decimal place; null with no open beds. */
  occupancy: number | null;
}

const zero = (): Omit<BedCounts, 'occupancy'> => ({
  commissioned: 0,
  open: 0,
  closed: 0,
  stoodDown: 0,
  reserved: 0,
  occupied: 0,
  siteClosed: 0,
  available: 0,
});

const withOccupancy = (counts: Omit<BedCounts, 'occupancy'>): BedCounts => ({
  ...counts,
  occupancy: counts.open === 0 ? null : Math.round((counts.occupied / counts.open) * 1000) / 10,
});

const count = (counts: Omit<BedCounts, 'occupancy'>, status: BedStatus) => {
  counts.commissioned += 1;
  if (status === 'closed') counts.closed += 1;
  else if (status === 'stood-down') counts.stoodDown += 1;
  else {
    counts.open += 1;
    if (status === 'occupied') counts.occupied += 1;
    else if (status === 'reserved') counts.reserved += 1;
    else if (status === 'site-closed') counts.siteClosed += 1;
    else counts.available += 1;
  }
};

export interface LongStay {
  bedId: string;
  label: string;
  siteId: string;
  siteName: string;
  caseId: string;
  admittedAt: string;
  days: number;
}

/** The weekly long-length-of-stay meeting looks at stays of 21 days and more (London calendar days). */
export const LONG_STAY_DAYS = 21;

export const longStays = (view: BedBoardView, now: string): LongStay[] =>
  Object.values(view.beds)
    .flatMap((bed) => {
      if (!bed.occupant) return [];
      const days = londonDaysBetween(londonDate(bed.occupant.admittedAt), londonDate(now));
      if (days < LONG_STAY_DAYS) return [];
      const site = view.sites[bed.siteId];
      return [
        {
          bedId: bed.bedId,
          label: bed.label,
          siteId: bed.siteId,
          siteName: site?.name ?? bed.siteId,
          caseId: bed.occupant.caseId,
          admittedAt: bed.occupant.admittedAt,
          days,
        },
      ];
    })
    .sort((a, b) => b.days - a.days || cmp(a.bedId, b.bedId));

export interface BedBaseSummary {
  total: BedCounts;
  byTier: Record<string, BedCounts>;
  bySite: Record<string, BedCounts & { name: string; locality: string; closedToAdmissions: SiteClosureReason | null }>;
  byArea: Record<string, BedCounts>;
  byCategory: Record<string, BedCounts>;
  longStays: { thresholdDays: number; count: number };
}

/** Aggregates only: no bed-level and no case-level facts. */
export const summaryOf = (view: BedBoardView, now: string): BedBaseSummary => {
  const total = zero();
  const groups = { tier: {}, site: {}, area: {}, category: {} } as Record<
    'tier' | 'site' | 'area' | 'category',
    Record<string, ReturnType<typeof zero>>
  >;
  const into = (group: keyof typeof groups, key: string, status: BedStatus) => count((groups[group][key] ??= zero()), status);
  for (const site of Object.values(view.sites)) groups.site[site.siteId] = zero();
  for (const bed of Object.values(view.beds)) {
    if (bed.decommissioned) continue;
    const site = view.sites[bed.siteId];
    const { status } = bedStatusOf(bed, site);
    count(total, status);
    into('tier', String(bed.tier), status);
    into('site', bed.siteId, status);
    into('area', site?.locality ?? 'unknown', status);
    into('category', bed.category, status);
  }
  const finish = (group: Record<string, ReturnType<typeof zero>>) =>
    Object.fromEntries(
      Object.entries(group)
        .sort(([a], [b]) => cmp(a, b))
        .map(([key, counts]) => [key, withOccupancy(counts)]),
    );
  const bySite = Object.fromEntries(
    Object.entries(finish(groups.site)).map(([siteId, counts]) => {
      const site = view.sites[siteId];
      return [
        siteId,
        {
          name: site?.name ?? siteId,
          locality: site?.locality ?? 'unknown',
          closedToAdmissions: site?.closedToAdmissions?.reason ?? null,
          ...counts,
        },
      ];
    }),
  );
  return {
    total: withOccupancy(total),
    byTier: finish(groups.tier),
    bySite,
    byArea: finish(groups.area),
    byCategory: finish(groups.category),
    longStays: { thresholdDays: LONG_STAY_DAYS, count: longStays(view, now).length },
  };
};

export interface OpenRequestRow extends BoardRequest {
  /** Whole hours since the request opened: the 2-day start target is watched from this. */
  ageHours: number;
}

export const openRequests = (view: BedBoardView, now: string): OpenRequestRow[] =>
  Object.values(view.requests)
    .map((request) => ({ ...request, ageHours: Math.floor((Date.parse(now) - Date.parse(request.openedAt)) / 3_600_000) }))
    .sort((a, b) => cmp(a.openedAt, b.openedAt) || cmp(a.requestId, b.requestId));

/** The board's beds and sites as the recommendation reads them. */
export const candidatesFrom = (view: BedBoardView): { beds: CandidateBed[]; sites: CandidateSite[] } => ({
  beds: Object.values(view.beds).map((bed) => ({
    bedId: bed.bedId,
    siteId: bed.siteId,
    label: bed.label,
    pathway: bed.pathway,
    category: bed.category,
    capabilities: bed.capabilities,
    baySex: bed.baySex,
    funding: bed.funding,
    tier: bed.tier,
    escalation: bed.escalation,
    escalationOpen: bed.escalationOpen,
    decommissioned: bed.decommissioned,
    closure: bed.closure?.reason ?? null,
    reserved: bed.holder !== null,
    occupied: bed.occupant !== null,
  })),
  sites: Object.values(view.sites).map((site) => ({
    siteId: site.siteId,
    name: site.name,
    locality: site.locality,
    closedToAdmissions: site.closedToAdmissions?.reason ?? null,
  })),
});

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
