import type { Actor, RecordedEvent, Role } from '@app/event-sourcing';
import type { CaseListView } from '@app/discharge';
import type { LondonDate } from '@app/time';
import { pathwaySharesOn, type PathwaySharesView } from '../projections/pathway-shares';

/** The views a screen may follow, and the projection each is folded by. */
export const LIVE_VIEWS = { 'pathway-shares': 'pathway-shares', 'case-list': 'discharge-case-list' } as const;
export type LiveView = keyof typeof LIVE_VIEWS;

/** One room's scope: the whole view, or one area's part of it; a ward's case list is always its own trust's. */
export interface LiveSubscription {
  view: LiveView;
  area: string | null;
  trust: string | null;
}

export interface LiveRefusal {
  code: 'INVALID_SUBSCRIPTION' | 'VIEW_NOT_PERMITTED' | 'VIEW_UNAVAILABLE';
  message: string;
}

const AREA = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;

/** `view:<name>`, then `:trust:<ODS>` for a ward's case list, then `:area:<AREA>` when narrowed to an area. */
export const roomOf = (s: LiveSubscription) =>
  `view:${s.view}${s.trust ? `:trust:${s.trust}` : ''}${s.area ? `:area:${s.area}` : ''}`;

const WHO_MAY: Record<LiveView, { roles: readonly Role[]; rule: string }> = {
  'pathway-shares': { roles: ['hub', 'leader', 'admin'], rule: 'pathway-shares is for the hub, leader and admin roles' },
  'case-list': {
    roles: ['hub', 'ward'],
    rule: 'case-list is for the hub, and for wards (their own trust’s cases only); it is never sent to leaders or providers',
  },
};

/** What `subscribe` asked for, checked against the actor's role: the room to join, or the rule that refuses it. */
export function subscriptionFor(actor: Actor, request: unknown): LiveSubscription | LiveRefusal {
  const invalid = (message: string): LiveRefusal => ({ code: 'INVALID_SUBSCRIPTION', message });
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    return invalid('subscribe takes { view, area? }');
  const { view, area, ...rest } = request as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return invalid(`subscribe does not take ${unknown.join(', ')}`);
  if (typeof view !== 'string' || !Object.hasOwn(LIVE_VIEWS, view))
    return invalid(`view must be one of ${Object.keys(LIVE_VIEWS).join(', ')}`);
  if (area !== undefined && (typeof area !== 'string' || !AREA.test(area)))
    return invalid('area must be an area code: capitals, digits, underscores and hyphens');
  const who = WHO_MAY[view as LiveView];
  if (!who.roles.includes(actor.role))
    return { code: 'VIEW_NOT_PERMITTED', message: `${who.rule}; you are signed in as ${actor.role}` };
  // One area's figures on one day are small counts, and nothing here suppresses them yet (DESIGN §4).
  if (area !== undefined && actor.role === 'leader')
    return {
      code: 'VIEW_NOT_PERMITTED',
      message: 'leaders see pathway-shares for the whole system only: per-area figures would show small counts',
    };
  return {
    view: view as LiveView,
    area: (area as string | undefined) ?? null,
    trust: view === 'case-list' && actor.role === 'ward' ? actor.organisation : null,
  };
}

export const isRefusal = (x: LiveSubscription | LiveRefusal): x is LiveRefusal => 'code' in x;

/** Where a change happened, as far as rooms care; what is unknown is left out. */
export interface ChangeSite {
  hospital?: string;
  area?: string;
  /** A trust-wide figure that no area's view includes (the activity feed). */
  noArea?: boolean;
}

/** Whether a change at `site` may alter what `subscription`'s room shows. A change of unknown site reaches every room. */
export function touches(subscription: LiveSubscription, site: ChangeSite): boolean {
  if (subscription.trust && site.hospital !== undefined && site.hospital !== subscription.trust) return false;
  if (subscription.area && (site.noArea || (site.area !== undefined && site.area !== subscription.area))) return false;
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

/** The same figures `GET /api/hub/pathway-shares` answers for today, narrowed to the room's area. */
export function pathwaySharesPayload(
  current: { view: PathwaySharesView; position: bigint | undefined },
  today: LondonDate,
  area: string | null,
) {
  const view = area ? inArea(current.view, area) : current.view;
  return { date: today, asOf: null, position: current.position?.toString() ?? null, ...pathwaySharesOn(view, today) };
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
  subscription: LiveSubscription,
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
