import type { CommandDispatcher, CommandRoute, Command, DomainEvent } from '@app/event-sourcing';
import type { ReferenceData } from '@app/reference-data';
import { bedStreamOf, createBedDecider, type BedCommand } from './bed';
import { bedRequestStreamOf, createBedRequestDecider, type BedRequestCommand } from './bed-request';
import { caseBedRequestsDecider, caseBedRequestsStreamOf, type CaseBedRequestsCommand } from './case-bed-requests';
import type { BedBaseRules } from './codes';
import { createSiteDecider, siteStreamOf, type SiteCommand } from './site';

export const BED_BASE_CONTEXT = 'bed-base';
/** The event categories bed-base writes (the relay publishes them to `bed-base.events.v1`). */
export const BED_BASE_CATEGORIES = ['site', 'bed', 'bedRequest', 'caseBedRequests'] as const;

export const bedBaseRulesFrom = (reference: ReferenceData): BedBaseRules => ({
  isKnownArea: (code) => reference.area(code) !== undefined,
  isKnownTier: (tier) => reference.contents.hierarchyOfUse.some((t) => t.tier === tier),
});

export interface BedBaseRoute {
  types: readonly string[];
  route: CommandRoute;
}

const routeOf = <S, C extends Command, E extends DomainEvent>(
  types: ReadonlyArray<C['type']>,
  route: CommandRoute<S, C, E>,
): BedBaseRoute => ({ types, route: route as unknown as CommandRoute });

export const SITE_COMMANDS: ReadonlyArray<SiteCommand['type']> = [
  'RegisterSite',
  'CloseSiteToAdmissions',
  'ReopenSiteToAdmissions',
];
export const BED_COMMANDS: ReadonlyArray<BedCommand['type']> = [
  'CommissionBed',
  'DecommissionBed',
  'CloseBed',
  'ReopenBed',
  'OpenEscalationBed',
  'StandDownEscalationBed',
  'ReserveBed',
  'ReleaseBed',
  'ExpireBedReservation',
  'AdmitPatient',
  'RecordPatientLeftBed',
];
export const BED_REQUEST_COMMANDS: ReadonlyArray<Exclude<BedRequestCommand['type'], 'OpenBedRequest'>> = [
  'RecordReservation',
  'EndReservation',
  'RecordDischargeToBed',
  'CloseBedRequest',
];
export const CASE_BED_REQUESTS_COMMANDS: ReadonlyArray<CaseBedRequestsCommand['type']> = [
  'RecordCaseBedNeeds',
  'RaiseBedRequest',
  'EndCaseBedRequest',
  'RenewBedRequest',
  'NoteCaseDischarge',
];

/**
 * Every bed-base command with its decider and stream. A factory, like the discharge decider, because the
 * deciders check localities and tiers against the reference data.
 */
export const createBedBaseRoutes = (rules: BedBaseRules): BedBaseRoute[] => {
  const requests = createBedRequestDecider(rules);
  return [
    routeOf(SITE_COMMANDS, { decider: createSiteDecider(rules), streamOf: (c: SiteCommand) => siteStreamOf(c.data.siteId) }),
    routeOf(BED_COMMANDS, { decider: createBedDecider(rules), streamOf: (c: BedCommand) => bedStreamOf(c.data.bedId) }),
    // Opened by a process manager on a stream derived from the triggering event: a redelivery is a no-op.
    routeOf(['OpenBedRequest'], {
      decider: requests,
      streamOf: (c: BedRequestCommand) => bedRequestStreamOf(c.data.requestId),
      createOnly: true,
    }),
    routeOf(BED_REQUEST_COMMANDS, {
      decider: requests,
      streamOf: (c: BedRequestCommand) => bedRequestStreamOf(c.data.requestId),
    }),
    routeOf(CASE_BED_REQUESTS_COMMANDS, {
      decider: caseBedRequestsDecider,
      streamOf: (c: CaseBedRequestsCommand) => caseBedRequestsStreamOf(c.data.caseId),
    }),
  ];
};

export const registerBedBaseCommands = (dispatcher: CommandDispatcher, rules: BedBaseRules): void => {
  for (const { types, route } of createBedBaseRoutes(rules)) dispatcher.register(types, route);
};
