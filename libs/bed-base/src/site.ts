import { assertNever, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';
import {
  assertOneOf,
  assertRole,
  CONFIGURERS,
  refuse,
  SITE_CLOSURE_REASONS,
  SITE_KINDS,
  type BedBaseRules,
  type SiteClosureReason,
  type SiteKind,
} from './codes';

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export type SiteRegistered = DomainEvent<
  'SiteRegistered',
  {
    siteId: string;
    name: string;
    kind: SiteKind;
    /** An area code from the reference data (a locality, DESIGN §2). */
    locality: string;
    odsCode: string;
    /** True where the ODS code has not been checked against the ODS register. */
    odsCodeIllustrative: boolean;
    registeredAt: string;
  }
>;
export type SiteClosedToAdmissions = DomainEvent<
  'SiteClosedToAdmissions',
  { siteId: string; reason: SiteClosureReason; closedAt: string }
>;
export type SiteReopenedToAdmissions = DomainEvent<
  'SiteReopenedToAdmissions',
  { siteId: string; closedFor: SiteClosureReason; closedAt: string; reopenedAt: string }
>;

export type SiteEvent = SiteRegistered | SiteClosedToAdmissions | SiteReopenedToAdmissions;

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export type RegisterSite = Command<
  'RegisterSite',
  { siteId: string; name: string; kind: SiteKind; locality: string; odsCode: string; odsCodeIllustrative?: boolean }
>;
export type CloseSiteToAdmissions = Command<'CloseSiteToAdmissions', { siteId: string; reason: SiteClosureReason }>;
export type ReopenSiteToAdmissions = Command<'ReopenSiteToAdmissions', { siteId: string }>;

export type SiteCommand = RegisterSite | CloseSiteToAdmissions | ReopenSiteToAdmissions;

// ─── State ──────────────────────────────────────────────────────────────────────────────────────────────

export interface SiteFacts {
  siteId: string;
  name: string;
  kind: SiteKind;
  locality: string;
  odsCode: string;
  odsCodeIllustrative: boolean;
  /** While set, the site's beds take no admissions but still count as commissioned. */
  closedToAdmissions: { reason: SiteClosureReason; since: string } | null;
}

export type Site = { status: 'none' } | (SiteFacts & { status: 'registered' });

export const initialSite = (): Site => ({ status: 'none' });

export const siteStreamOf = (siteId: string): string => `site-${siteId}`;

export const evolveSite = (state: Site, event: SiteEvent): Site => {
  if (event.type === 'SiteRegistered') {
    const { siteId, name, kind, locality, odsCode, odsCodeIllustrative } = event.data;
    return { status: 'registered', siteId, name, kind, locality, odsCode, odsCodeIllustrative, closedToAdmissions: null };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'SiteClosedToAdmissions':
      return { ...state, closedToAdmissions: { reason: event.data.reason, since: event.data.closedAt } };
    case 'SiteReopenedToAdmissions':
      return { ...state, closedToAdmissions: null };
    default:
      return assertNever(event);
  }
};

// ─── Decide ─────────────────────────────────────────────────────────────────────────────────────────────

const ODS_CODE = /^[A-Z0-9]{3,6}$/;

const registered = (state: Site) => {
  if (state.status === 'none') throw refuse('SITE_NOT_FOUND', 'There is no such site', 'not_found');
  return state;
};

export const decideSite =
  (rules: BedBaseRules) =>
  (command: SiteCommand, state: Site): SiteEvent[] => {
    const { actor, now } = command.metadata;
    switch (command.type) {
      case 'RegisterSite': {
        assertRole(actor, CONFIGURERS, 'register a site');
        if (state.status !== 'none') throw refuse('SITE_EXISTS', 'This site is already registered', 'conflict');
        const { siteId, name, kind, locality, odsCode, odsCodeIllustrative = false } = command.data;
        assertOneOf(SITE_KINDS, kind, 'kind');
        if (!name || !name.trim()) throw refuse('NAME_REQUIRED', 'A site needs a name');
        if (!rules.isKnownArea(locality)) throw refuse('UNKNOWN_AREA', `Unknown locality ${locality}`);
        if (!ODS_CODE.test(odsCode)) throw refuse('INVALID_ODS_CODE', 'An ODS code is 3 to 6 capital letters or digits');
        return [
          {
            type: 'SiteRegistered',
            data: { siteId, name: name.trim(), kind, locality, odsCode, odsCodeIllustrative, registeredAt: now },
          },
        ];
      }
      case 'CloseSiteToAdmissions': {
        assertRole(actor, CONFIGURERS, 'close a site to admissions');
        const site = registered(state);
        assertOneOf(SITE_CLOSURE_REASONS, command.data.reason, 'reason');
        if (site.closedToAdmissions) {
          throw refuse(
            'SITE_ALREADY_CLOSED',
            `The site has been closed to admissions (${site.closedToAdmissions.reason}) since ${site.closedToAdmissions.since}`,
            'conflict',
          );
        }
        return [{ type: 'SiteClosedToAdmissions', data: { siteId: site.siteId, reason: command.data.reason, closedAt: now } }];
      }
      case 'ReopenSiteToAdmissions': {
        assertRole(actor, CONFIGURERS, 'reopen a site to admissions');
        const site = registered(state);
        if (!site.closedToAdmissions) throw refuse('SITE_NOT_CLOSED', 'The site is open to admissions', 'conflict');
        return [
          {
            type: 'SiteReopenedToAdmissions',
            data: {
              siteId: site.siteId,
              closedFor: site.closedToAdmissions.reason,
              closedAt: site.closedToAdmissions.since,
              reopenedAt: now,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  };

export const createSiteDecider = (rules: BedBaseRules): Decider<Site, SiteCommand, SiteEvent> => ({
  initialState: initialSite,
  evolve: evolveSite,
  decide: decideSite(rules),
});

/** A reservation is refused on a site closed to admissions; the handler checks the site before holding the bed. */
export const assertSiteTakingAdmissions = (site: Site): void => {
  const found = registered(site);
  if (found.closedToAdmissions) {
    throw refuse(
      'SITE_CLOSED_TO_ADMISSIONS',
      `${found.name} is closed to admissions (${found.closedToAdmissions.reason})`,
      'conflict',
      {
        siteId: found.siteId,
        reason: found.closedToAdmissions.reason,
      },
    );
  }
};
