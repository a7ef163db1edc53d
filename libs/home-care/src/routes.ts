import type { Command, CommandRoute, DomainEvent } from '@app/event-sourcing';
import { capacityLedgerDecider, ledgerStreamOf } from './capacity-ledger';
import { homeCareCaseDecider, homeCareCaseStreamOf } from './home-care-case';
import { homeCarePackageDecider, packageStreamOf } from './home-care-package';
import { providerDecider, providerStreamOf } from './provider';

export interface HomeCareRoute {
  types: string[];
  route: CommandRoute;
}

const route = <S, C extends Command, E extends DomainEvent>(types: C['type'][], r: CommandRoute<S, C, E>): HomeCareRoute => ({
  types,
  route: r as unknown as CommandRoute,
});

/** Every home-care command, the decider that decides it and its stream. The lead registers them on the dispatcher. */
export const homeCareRoutes: readonly HomeCareRoute[] = [
  route(['RegisterProvider', 'SuspendProvider', 'ReinstateProvider'], {
    decider: providerDecider,
    streamOf: (command) => providerStreamOf(command.data.providerId),
  }),
  route(['DeclareCapacity', 'HoldHours', 'CommitHours', 'ReleaseHours'], {
    decider: capacityLedgerDecider,
    streamOf: (command) => ledgerStreamOf(command.data),
  }),
  // Requested by a process manager from a derived id: a redelivery finds the stream and decides nothing.
  route(['RequestPackage'], {
    decider: homeCarePackageDecider,
    streamOf: (command) => packageStreamOf(command.data.packageId),
    createOnly: true,
  }),
  route(
    [
      'OfferPackage',
      'AcceptPackageOffer',
      'DeclinePackageOffer',
      'ExpirePackageOffer',
      'WithdrawPackageOffer',
      'StartPackage',
      'RecordReablementReview',
      'EndPackage',
      'CancelPackageRequest',
    ],
    { decider: homeCarePackageDecider, streamOf: (command) => packageStreamOf(command.data.packageId) },
  ),
  route(['NoteCaseReferral', 'LinkCasePackage', 'ReleaseCasePackage'], {
    decider: homeCareCaseDecider,
    streamOf: (command) => homeCareCaseStreamOf(command.data.caseId),
  }),
];
