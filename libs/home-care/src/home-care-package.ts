import { assertNever, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';
import { londonDaysBetween, type LondonDate } from '@app/time';
import {
  assertActsFor,
  assertDate,
  assertHours,
  assertInstant,
  assertLocality,
  assertNotFuture,
  assertProviderId,
  assertRole,
  oneOf,
  refuse,
  today,
} from './common';
import { OVERRIDE_REASONS, type OverrideReason } from './capacity-ledger';

export const PACKAGE_ORIGINS = ['hospital-discharge', 'community-referral'] as const;
export type PackageOrigin = (typeof PACKAGE_ORIGINS)[number];

export const DECLINE_REASONS = [
  'no-carers-available',
  'outside-travel-area',
  'needs-exceed-skills',
  'double-up-not-available',
  'start-date-not-possible',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const WITHDRAWAL_REASONS = ['another-offer-accepted', 'package-cancelled', 'hub-withdrew'] as const;
export type OfferWithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

export const CANCELLATION_REASONS = [
  'case-withdrawn',
  'patient-died',
  'criteria-to-reside-met-again',
  'pathway-changed',
  'home-care-no-longer-needed',
  'discharged-on-another-pathway',
  'referral-withdrawn',
  'hub-cancelled',
  /** A newer package was linked to the same case. */
  'superseded',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

export const REVIEW_PROGRESS = ['goals-met', 'goals-partly-met', 'goals-not-met'] as const;
export type ReviewProgress = (typeof REVIEW_PROGRESS)[number];

export const PACKAGE_OUTCOMES = [
  'no-ongoing-needs',
  'reduced-package',
  'long-term-package',
  'bedded-care',
  'hospital',
  'died',
] as const;
export type PackageOutcome = (typeof PACKAGE_OUTCOMES)[number];

/** Where an offer's hours sit: the ledger of the provider, the package's locality and the start date. */
export interface OfferPlace {
  offerId: string;
  providerId: string;
  locality: string;
  startOn: LondonDate;
  hoursPerWeek: number;
}

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export type PackageRequested = DomainEvent<
  'PackageRequested',
  {
    packageId: string;
    origin: PackageOrigin;
    /** The discharge case, for a hospital discharge; else null. */
    caseId: string | null;
    /** The community referral, for a step-up or end-of-life request; else null. */
    referralId: string | null;
    area: string;
    hoursPerWeek: number;
    requestedAt: string;
  }
>;
export type PackageOffered = DomainEvent<
  'PackageOffered',
  OfferPlace & { packageId: string; expiresAt: string; overrideReason: OverrideReason | null; offeredAt: string }
>;
/** The first acceptance: the package is placed with this provider. */
export type PackageAccepted = DomainEvent<
  'PackageAccepted',
  OfferPlace & { packageId: string; caseId: string | null; referralId: string | null; acceptedAt: string }
>;
export type PackageOfferDeclined = DomainEvent<
  'PackageOfferDeclined',
  OfferPlace & { packageId: string; reason: DeclineReason; declinedAt: string }
>;
export type PackageOfferExpired = DomainEvent<
  'PackageOfferExpired',
  OfferPlace & { packageId: string; expiresAt: string; expiredAt: string }
>;
export type PackageOfferWithdrawn = DomainEvent<
  'PackageOfferWithdrawn',
  OfferPlace & { packageId: string; reason: OfferWithdrawalReason; withdrawnAt: string }
>;
export type PackageStarted = DomainEvent<
  'PackageStarted',
  { packageId: string; caseId: string | null; providerId: string; startedOn: LondonDate; recordedAt: string }
>;
export type ReablementReviewRecorded = DomainEvent<
  'ReablementReviewRecorded',
  {
    packageId: string;
    providerId: string;
    reviewId: string;
    reviewedOn: LondonDate;
    progress: ReviewProgress;
    /** Hours a week the person now needs, so the views see a reablement package tapering. */
    hoursPerWeekNow: number;
    recordedAt: string;
  }
>;
export type PackageEnded = DomainEvent<
  'PackageEnded',
  {
    packageId: string;
    caseId: string | null;
    providerId: string;
    outcome: PackageOutcome;
    startedOn: LondonDate;
    endedOn: LondonDate;
    recordedAt: string;
  }
>;
export type PackageRequestCancelled = DomainEvent<
  'PackageRequestCancelled',
  {
    packageId: string;
    caseId: string | null;
    reason: CancellationReason;
    /** The accepted (not yet started) offer whose committed hours go back to its ledger; else null. */
    committedOffer: OfferPlace | null;
    cancelledAt: string;
  }
>;

export type HomeCarePackageEvent =
  | PackageRequested
  | PackageOffered
  | PackageAccepted
  | PackageOfferDeclined
  | PackageOfferExpired
  | PackageOfferWithdrawn
  | PackageStarted
  | ReablementReviewRecorded
  | PackageEnded
  | PackageRequestCancelled;

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export type RequestPackage = Command<
  'RequestPackage',
  {
    packageId: string;
    origin: PackageOrigin;
    caseId?: string;
    referralId?: string;
    area: string;
    hoursPerWeek: number;
  }
>;
export type OfferPackage = Command<
  'OfferPackage',
  {
    packageId: string;
    offerId: string;
    providerId: string;
    startOn: LondonDate;
    expiresAt: string;
    /** The coded reason the hub held hours that were not free; it must match the hold. */
    overrideReason?: OverrideReason;
  }
>;
export type AcceptPackageOffer = Command<'AcceptPackageOffer', { packageId: string; offerId: string }>;
export type DeclinePackageOffer = Command<'DeclinePackageOffer', { packageId: string; offerId: string; reason: DeclineReason }>;
export type ExpirePackageOffer = Command<'ExpirePackageOffer', { packageId: string; offerId: string }>;
export type WithdrawPackageOffer = Command<'WithdrawPackageOffer', { packageId: string; offerId: string }>;
export type StartPackage = Command<'StartPackage', { packageId: string; startedOn: LondonDate }>;
export type RecordReablementReview = Command<
  'RecordReablementReview',
  { packageId: string; reviewId: string; reviewedOn: LondonDate; progress: ReviewProgress; hoursPerWeekNow: number }
>;
export type EndPackage = Command<'EndPackage', { packageId: string; outcome: PackageOutcome; endedOn: LondonDate }>;
export type CancelPackageRequest = Command<'CancelPackageRequest', { packageId: string; reason: CancellationReason }>;

export type HomeCarePackageCommand =
  | RequestPackage
  | OfferPackage
  | AcceptPackageOffer
  | DeclinePackageOffer
  | ExpirePackageOffer
  | WithdrawPackageOffer
  | StartPackage
  | RecordReablementReview
  | EndPackage
  | CancelPackageRequest;

// ─── State ──────────────────────────────────────────────────────────────────────────────────────────────

export type OfferStatus = 'open' | 'accepted' | 'declined' | 'expired' | 'withdrawn';

export interface Offer extends OfferPlace {
  expiresAt: string;
  status: OfferStatus;
}

export interface PackageFacts {
  packageId: string;
  origin: PackageOrigin;
  caseId: string | null;
  referralId: string | null;
  area: string;
  hoursPerWeek: number;
  requestedAt: string;
  /** In the order they were made. */
  offers: readonly Offer[];
}

export type HomeCarePackage =
  | { status: 'none' }
  | (PackageFacts & { status: 'requested' })
  | (PackageFacts & { status: 'accepted'; acceptedOfferId: string })
  | (PackageFacts & { status: 'active'; acceptedOfferId: string; startedOn: LondonDate; reviewIds: readonly string[] })
  | (PackageFacts & { status: 'ended'; acceptedOfferId: string; outcome: PackageOutcome })
  | (PackageFacts & { status: 'cancelled'; reason: CancellationReason });

export const initialHomeCarePackage = (): HomeCarePackage => ({ status: 'none' });

export const packageStreamOf = (packageId: string): string => `homeCarePackage-${packageId}`;

const setOffer = <S extends PackageFacts>(state: S, offerId: string, status: OfferStatus): S => ({
  ...state,
  offers: state.offers.map((offer) => (offer.offerId === offerId ? { ...offer, status } : offer)),
});

export const evolveHomeCarePackage = (state: HomeCarePackage, event: HomeCarePackageEvent): HomeCarePackage => {
  if (event.type === 'PackageRequested') {
    const { packageId, origin, caseId, referralId, area, hoursPerWeek, requestedAt } = event.data;
    return { status: 'requested', packageId, origin, caseId, referralId, area, hoursPerWeek, requestedAt, offers: [] };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PackageOffered': {
      const { offerId, providerId, locality, startOn, hoursPerWeek, expiresAt } = event.data;
      return {
        ...state,
        offers: [...state.offers, { offerId, providerId, locality, startOn, hoursPerWeek, expiresAt, status: 'open' }],
      };
    }
    case 'PackageAccepted':
      return { ...setOffer(state, event.data.offerId, 'accepted'), status: 'accepted', acceptedOfferId: event.data.offerId };
    case 'PackageOfferDeclined':
      return setOffer(state, event.data.offerId, 'declined');
    case 'PackageOfferExpired':
      return setOffer(state, event.data.offerId, 'expired');
    case 'PackageOfferWithdrawn':
      return setOffer(state, event.data.offerId, 'withdrawn');
    case 'PackageStarted':
      return state.status === 'accepted' ? { ...state, status: 'active', startedOn: event.data.startedOn, reviewIds: [] } : state;
    case 'ReablementReviewRecorded':
      return state.status === 'active' ? { ...state, reviewIds: [...state.reviewIds, event.data.reviewId] } : state;
    case 'PackageEnded':
      return state.status === 'active' ? { ...state, status: 'ended', outcome: event.data.outcome } : state;
    case 'PackageRequestCancelled':
      return { ...state, status: 'cancelled', reason: event.data.reason };
    default:
      return assertNever(event);
  }
};

// ─── Decide ─────────────────────────────────────────────────────────────────────────────────────────────

type ExistingPackage = Exclude<HomeCarePackage, { status: 'none' }>;

const existing = (state: HomeCarePackage): ExistingPackage => {
  if (state.status === 'none') throw refuse('PACKAGE_NOT_FOUND', 'There is no such home-care package', 'not_found');
  return state;
};

const placeOf = (offer: Offer): OfferPlace => ({
  offerId: offer.offerId,
  providerId: offer.providerId,
  locality: offer.locality,
  startOn: offer.startOn,
  hoursPerWeek: offer.hoursPerWeek,
});

const findOffer = (state: ExistingPackage, offerId: string): Offer => {
  const offer = state.offers.find((o) => o.offerId === offerId);
  if (!offer) throw refuse('OFFER_NOT_FOUND', `No offer ${offerId} on this package`, 'not_found');
  return offer;
};

const acceptedOffer = (state: Extract<HomeCarePackage, { acceptedOfferId: string }>): Offer =>
  findOffer(state, state.acceptedOfferId);

/**
 * A provider learns nothing of a package it was never offered: refused before any state is read out, so its
 * status never leaks in a 409 (found by the role matrix, test/security).
 */
const assertProviderIsParty = (actor: { role: string; organisation: string }, state: ExistingPackage) => {
  if (actor.role === 'provider' && !state.offers.some((o) => o.providerId === actor.organisation))
    throw refuse('OUT_OF_SCOPE', 'A provider may act only on a package offered to it', 'forbidden');
};

const isAfter = (a: string, b: string) => Date.parse(a) > Date.parse(b);

const withdrawOpenOffers = (
  state: ExistingPackage,
  reason: OfferWithdrawalReason,
  now: string,
  except?: string,
): PackageOfferWithdrawn[] =>
  state.offers
    .filter((offer) => offer.status === 'open' && offer.offerId !== except)
    .map((offer) => ({
      type: 'PackageOfferWithdrawn',
      data: { ...placeOf(offer), packageId: state.packageId, reason, withdrawnAt: now },
    }));

export const decideHomeCarePackage = (command: HomeCarePackageCommand, state: HomeCarePackage): HomeCarePackageEvent[] => {
  const { actor, now } = command.metadata;
  switch (command.type) {
    case 'RequestPackage': {
      assertRole(actor, ['hub', 'system'], 'request a home-care package');
      const data = command.data;
      if (state.status !== 'none') throw refuse('PACKAGE_EXISTS', 'This package has already been requested', 'conflict');
      const origin = oneOf(PACKAGE_ORIGINS, data.origin, 'UNKNOWN_ORIGIN', 'origin');
      const caseId = data.caseId ?? null;
      const referralId = data.referralId ?? null;
      if (origin === 'hospital-discharge' ? !caseId || referralId : !referralId || caseId) {
        throw refuse(
          'ORIGIN_MISMATCH',
          'A hospital-discharge package names its case, a community-referral package its referral, never both',
        );
      }
      assertLocality(data.area);
      assertHours(data.hoursPerWeek, 'hoursPerWeek', 168);
      if (data.hoursPerWeek === 0) throw refuse('NO_CARE_HOURS', 'A home-care package needs some care hours a week');
      return [
        {
          type: 'PackageRequested',
          data: {
            packageId: data.packageId,
            origin,
            caseId,
            referralId,
            area: data.area,
            hoursPerWeek: data.hoursPerWeek,
            requestedAt: now,
          },
        },
      ];
    }

    case 'OfferPackage': {
      assertRole(actor, ['hub'], 'offer a package to a provider');
      const found = existing(state);
      const { offerId, providerId, startOn, expiresAt, overrideReason } = command.data;
      if (found.offers.some((o) => o.offerId === offerId)) {
        throw refuse('OFFER_EXISTS', `Offer ${offerId} already exists`, 'conflict');
      }
      if (found.status !== 'requested') {
        throw refuse('PACKAGE_NOT_AWAITING_OFFERS', `The package is ${found.status}: no more offers`, 'conflict', {
          status: found.status,
        });
      }
      assertProviderId(providerId);
      assertDate(startOn, 'startOn');
      assertInstant(expiresAt, 'expiresAt');
      if (londonDaysBetween(today(now), startOn) < 0) throw refuse('START_DATE_IN_PAST', 'A package cannot start in the past');
      if (!isAfter(expiresAt, now)) throw refuse('EXPIRY_NOT_IN_FUTURE', 'An offer must expire after it is made');
      if (overrideReason !== undefined) oneOf(OVERRIDE_REASONS, overrideReason, 'UNKNOWN_OVERRIDE_REASON', 'overrideReason');
      if (found.offers.some((o) => o.providerId === providerId && o.status === 'open')) {
        throw refuse('PROVIDER_ALREADY_OFFERED', `${providerId} already has an open offer for this package`, 'conflict');
      }
      return [
        {
          type: 'PackageOffered',
          data: {
            packageId: found.packageId,
            offerId,
            providerId,
            locality: found.area,
            startOn,
            hoursPerWeek: found.hoursPerWeek,
            expiresAt,
            overrideReason: overrideReason ?? null,
            offeredAt: now,
          },
        },
      ];
    }

    case 'AcceptPackageOffer': {
      const found = existing(state);
      const offer = findOffer(found, command.data.offerId);
      assertActsFor(actor, offer.providerId, ['provider', 'hub'], 'accept an offer');
      if (offer.status === 'accepted') return [];
      if (found.status !== 'requested') {
        throw refuse(
          found.status === 'cancelled' ? 'PACKAGE_CANCELLED' : 'PACKAGE_ALREADY_PLACED',
          found.status === 'cancelled' ? 'The package request was cancelled' : 'Another provider accepted this package first',
          'conflict',
        );
      }
      if (offer.status !== 'open') throw refuse('OFFER_NOT_OPEN', `The offer was ${offer.status}`, 'conflict');
      if (isAfter(now, offer.expiresAt)) {
        throw refuse('OFFER_EXPIRED', `The offer expired at ${offer.expiresAt}`, 'conflict', { expiresAt: offer.expiresAt });
      }
      return [
        {
          type: 'PackageAccepted',
          data: {
            ...placeOf(offer),
            packageId: found.packageId,
            caseId: found.caseId,
            referralId: found.referralId,
            acceptedAt: now,
          },
        },
        ...withdrawOpenOffers(found, 'another-offer-accepted', now, offer.offerId),
      ];
    }

    case 'DeclinePackageOffer': {
      const found = existing(state);
      const offer = findOffer(found, command.data.offerId);
      assertActsFor(actor, offer.providerId, ['provider', 'hub'], 'decline an offer');
      const reason = oneOf(DECLINE_REASONS, command.data.reason, 'UNKNOWN_DECLINE_REASON', 'reason');
      if (offer.status === 'declined') return [];
      if (offer.status !== 'open') throw refuse('OFFER_NOT_OPEN', `The offer was ${offer.status}`, 'conflict');
      return [{ type: 'PackageOfferDeclined', data: { ...placeOf(offer), packageId: found.packageId, reason, declinedAt: now } }];
    }

    case 'ExpirePackageOffer': {
      assertRole(actor, ['system'], 'expire an offer');
      const found = existing(state);
      const offer = findOffer(found, command.data.offerId);
      // A deadline fires at least once: a late or repeated firing, or one for an answered offer, decides nothing.
      if (offer.status !== 'open' || isAfter(offer.expiresAt, now)) return [];
      return [
        {
          type: 'PackageOfferExpired',
          data: { ...placeOf(offer), packageId: found.packageId, expiresAt: offer.expiresAt, expiredAt: now },
        },
      ];
    }

    case 'WithdrawPackageOffer': {
      assertRole(actor, ['hub'], 'withdraw an offer');
      const found = existing(state);
      const offer = findOffer(found, command.data.offerId);
      if (offer.status === 'withdrawn') return [];
      if (offer.status !== 'open') throw refuse('OFFER_NOT_OPEN', `The offer was ${offer.status}`, 'conflict');
      return [
        {
          type: 'PackageOfferWithdrawn',
          data: { ...placeOf(offer), packageId: found.packageId, reason: 'hub-withdrew', withdrawnAt: now },
        },
      ];
    }

    case 'StartPackage': {
      const found = existing(state);
      assertProviderIsParty(actor, found);
      if (found.status !== 'accepted' && found.status !== 'active') {
        throw refuse('PACKAGE_NOT_ACCEPTED', `The package is ${found.status}: only an accepted package starts`, 'conflict');
      }
      const offer = acceptedOffer(found);
      assertActsFor(actor, offer.providerId, ['provider', 'hub'], 'start a package');
      if (found.status === 'active')
        throw refuse('PACKAGE_ALREADY_STARTED', `The package started on ${found.startedOn}`, 'conflict');
      const { startedOn } = command.data;
      assertDate(startedOn, 'startedOn');
      assertNotFuture(startedOn, now, 'The start of a package');
      return [
        {
          type: 'PackageStarted',
          data: { packageId: found.packageId, caseId: found.caseId, providerId: offer.providerId, startedOn, recordedAt: now },
        },
      ];
    }

    case 'RecordReablementReview': {
      const found = existing(state);
      assertProviderIsParty(actor, found);
      if (found.status !== 'active') throw refuse('PACKAGE_NOT_ACTIVE', `The package is ${found.status}`, 'conflict');
      const offer = acceptedOffer(found);
      assertActsFor(actor, offer.providerId, ['provider', 'hub'], 'record a reablement review');
      const { reviewId, reviewedOn, hoursPerWeekNow } = command.data;
      if (found.reviewIds.includes(reviewId)) return [];
      assertDate(reviewedOn, 'reviewedOn');
      assertNotFuture(reviewedOn, now, 'A review');
      if (londonDaysBetween(found.startedOn, reviewedOn) < 0) {
        throw refuse('REVIEW_BEFORE_START', `The package started on ${found.startedOn}`);
      }
      const progress = oneOf(REVIEW_PROGRESS, command.data.progress, 'UNKNOWN_REVIEW_PROGRESS', 'progress');
      assertHours(hoursPerWeekNow, 'hoursPerWeekNow', 168);
      return [
        {
          type: 'ReablementReviewRecorded',
          data: {
            packageId: found.packageId,
            providerId: offer.providerId,
            reviewId,
            reviewedOn,
            progress,
            hoursPerWeekNow,
            recordedAt: now,
          },
        },
      ];
    }

    case 'EndPackage': {
      const found = existing(state);
      assertProviderIsParty(actor, found);
      if (found.status !== 'active') {
        throw refuse(
          found.status === 'ended' ? 'PACKAGE_ALREADY_ENDED' : 'PACKAGE_NOT_ACTIVE',
          `The package is ${found.status}`,
          'conflict',
        );
      }
      const offer = acceptedOffer(found);
      assertActsFor(actor, offer.providerId, ['provider', 'hub'], 'end a package');
      const outcome = oneOf(PACKAGE_OUTCOMES, command.data.outcome, 'UNKNOWN_OUTCOME', 'outcome');
      const { endedOn } = command.data;
      assertDate(endedOn, 'endedOn');
      assertNotFuture(endedOn, now, 'The end of a package');
      if (londonDaysBetween(found.startedOn, endedOn) < 0)
        throw refuse('END_BEFORE_START', `The package started on ${found.startedOn}`);
      return [
        {
          type: 'PackageEnded',
          data: {
            packageId: found.packageId,
            caseId: found.caseId,
            providerId: offer.providerId,
            outcome,
            startedOn: found.startedOn,
            endedOn,
            recordedAt: now,
          },
        },
      ];
    }

    case 'CancelPackageRequest': {
      assertRole(actor, ['hub', 'system'], 'cancel a package request');
      const reason = oneOf(CANCELLATION_REASONS, command.data.reason, 'UNKNOWN_CANCELLATION_REASON', 'reason');
      // A compensation may name a package that was never requested, or arrive twice.
      if (state.status === 'none' || state.status === 'cancelled' || state.status === 'ended') return [];
      if (state.status === 'active') {
        throw refuse(
          'PACKAGE_ALREADY_STARTED',
          'Care has started: end the package with an outcome instead of cancelling it',
          'conflict',
        );
      }
      return [
        ...withdrawOpenOffers(state, 'package-cancelled', now),
        {
          type: 'PackageRequestCancelled',
          data: {
            packageId: state.packageId,
            caseId: state.caseId,
            reason,
            committedOffer: state.status === 'accepted' ? placeOf(acceptedOffer(state)) : null,
            cancelledAt: now,
          },
        },
      ];
    }

    default:
      return assertNever(command);
  }
};

export const homeCarePackageDecider: Decider<HomeCarePackage, HomeCarePackageCommand, HomeCarePackageEvent> = {
  initialState: initialHomeCarePackage,
  evolve: evolveHomeCarePackage,
  decide: decideHomeCarePackage,
};
