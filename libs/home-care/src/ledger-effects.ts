import type { CommandMetadata } from '@app/event-sourcing';
import type { CommitHours, ReleaseHours, ReleaseReason } from './capacity-ledger';
import type { HomeCarePackageEvent, OfferPlace } from './home-care-package';

export type LedgerFollowUp = CommitHours | ReleaseHours;

const keyOf = (place: OfferPlace) => ({
  providerId: place.providerId,
  locality: place.locality,
  date: place.startOn,
  holdId: place.offerId,
});

/**
 * What a package event means for the capacity ledgers: acceptance commits the winner's held hours; a decline,
 * an expiry, a withdrawal or a cancellation releases them. Every command is idempotent by hold id (= offer id),
 * so the HTTP layer may apply these straight after the package command and the process manager again from
 * the event: whichever comes second decides nothing.
 */
export const ledgerFollowUpsFor = (
  event: HomeCarePackageEvent,
  metadata: (index: number) => CommandMetadata,
): LedgerFollowUp[] => {
  const release = (place: OfferPlace, reason: ReleaseReason): ReleaseHours => ({
    type: 'ReleaseHours',
    data: { ...keyOf(place), reason },
    metadata: metadata(0),
  });
  switch (event.type) {
    case 'PackageAccepted':
      return [{ type: 'CommitHours', data: keyOf(event.data), metadata: metadata(0) }];
    case 'PackageOfferDeclined':
      return [release(event.data, 'offer-declined')];
    case 'PackageOfferExpired':
      return [release(event.data, 'offer-expired')];
    case 'PackageOfferWithdrawn':
      return [release(event.data, 'offer-withdrawn')];
    case 'PackageRequestCancelled':
      return event.data.committedOffer ? [release(event.data.committedOffer, 'package-cancelled')] : [];
    default:
      return [];
  }
};
