import { DomainRefusal, WrongExpectedRevision, type Command, type CommandMetadata } from '@app/event-sourcing';
import type { LondonDate } from '@app/time';
import type { HoldHours, OverrideReason, ReleaseHours } from './capacity-ledger';
import type { HomeCarePackage, OfferPackage } from './home-care-package';
import { ledgerFollowUpsFor, type LedgerFollowUp } from './ledger-effects';
import type { HomeCarePackageEvent } from './home-care-package';
import { refuse } from './common';

/**
 * Offering spans two aggregates: the ledger's hours and the package's offers. The steps, in this order:
 *   1. `hold`    on the ledger, with its expected revision (a conflict is re-read and re-decided, so of two
 *                offers racing for the last free hours exactly one holds them);
 *   2. `offer`   on the package;
 *   3. `undo`    only if step 2 is refused: release the hold (reason offer-not-recorded).
 * A crash between 1 and 2 leaves a hold with no offer; it lapses by the hold deadline (offer expiry + grace).
 * Nothing is half-written for longer than that, and the package never names hours it does not hold.
 */
export interface OfferSteps {
  hold: HoldHours;
  offer: OfferPackage;
  undo: ReleaseHours;
}

export interface OfferRequest {
  offerId: string;
  providerId: string;
  startOn: LondonDate;
  expiresAt: string;
  /** Hub only: hold hours that are not free, for this coded reason. */
  overrideReason?: OverrideReason;
}

const step = (metadata: CommandMetadata, name: string): CommandMetadata => ({
  ...metadata,
  commandId: `${metadata.commandId}:${name}`,
  causationId: metadata.causationId ?? metadata.commandId,
});

export const planOffer = (pkg: HomeCarePackage, request: OfferRequest, metadata: CommandMetadata): OfferSteps => {
  if (pkg.status === 'none') throw refuse('PACKAGE_NOT_FOUND', 'There is no such home-care package', 'not_found');
  if (pkg.status !== 'requested') {
    throw refuse('PACKAGE_NOT_AWAITING_OFFERS', `The package is ${pkg.status}: no more offers`, 'conflict');
  }
  const key = { providerId: request.providerId, locality: pkg.area, date: request.startOn, holdId: request.offerId };
  return {
    hold: {
      type: 'HoldHours',
      data: {
        ...key,
        packageId: pkg.packageId,
        hours: pkg.hoursPerWeek,
        expiresAt: request.expiresAt,
        ...(request.overrideReason ? { override: { reason: request.overrideReason } } : {}),
      },
      metadata: step(metadata, 'hold'),
    },
    offer: {
      type: 'OfferPackage',
      data: {
        packageId: pkg.packageId,
        offerId: request.offerId,
        providerId: request.providerId,
        startOn: request.startOn,
        expiresAt: request.expiresAt,
        ...(request.overrideReason ? { overrideReason: request.overrideReason } : {}),
      },
      metadata: step(metadata, 'offer'),
    },
    undo: { type: 'ReleaseHours', data: { ...key, reason: 'offer-not-recorded' }, metadata: step(metadata, 'undo-hold') },
  };
};

export type Dispatch = (command: Command) => Promise<unknown>;

/** Runs the offer steps with the caller's dispatcher (which appends with expected revisions and retries conflicts). */
export const applyOffer = async (steps: OfferSteps, dispatch: Dispatch): Promise<void> => {
  await dispatch(steps.hold);
  try {
    await dispatch(steps.offer);
  } catch (error) {
    // Both mean the offer was certainly not written (a stale If-Match included); anything else may have been.
    if (error instanceof DomainRefusal || error instanceof WrongExpectedRevision) await dispatch(steps.undo);
    throw error;
  }
};

/**
 * After a package command (accept, decline, withdraw, cancel) the ledger moves follow its events. Apply them
 * straight away for a prompt view; the packages process manager applies them again from the same events, at
 * least once, so a crash in between loses nothing, and the repeat decides nothing.
 */
export const ledgerStepsAfter = (written: readonly HomeCarePackageEvent[], metadata: CommandMetadata): LedgerFollowUp[] =>
  written.flatMap((event, i) => ledgerFollowUpsFor(event, (j) => step(metadata, `ledger-${i}-${j}`)));
