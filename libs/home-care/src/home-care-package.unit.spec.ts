import { DomainRefusal, type Actor, type RefusalKind } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import { CANCELLATION_REASONS, homeCarePackageDecider, PACKAGE_OUTCOMES } from './home-care-package';
import {
  acceptPackageOffer,
  admin,
  cancelPackageRequest,
  declinePackageOffer,
  endPackage,
  expirePackageOffer,
  hub,
  leader,
  NOW,
  OFFER_EXPIRES_AT,
  offerPackage,
  offerPlace,
  OTHER_OFFER_ID,
  OTHER_PROVIDER_ID,
  otherProviderUser,
  packageAccepted,
  packageEnded,
  packageOfferDeclined,
  packageOffered,
  packageOfferExpired,
  packageOfferWithdrawn,
  packageRequestCancelled,
  packageRequested,
  packageStarted,
  providerUser,
  reablementReviewRecorded,
  recordReablementReview,
  requestPackage,
  startPackage,
  system,
  THIRD_OFFER_ID,
  THIRD_PROVIDER_ID,
  TODAY,
  ward,
  withdrawPackageOffer,
} from './testing/builders';

const given = specFor(homeCarePackageDecider);
const refused =
  (code: string, kind?: RefusalKind) =>
  (error: DomainRefusal): void =>
    expect(error).toMatchObject(kind ? { code, kind } : { code });
const roles = (...actors: Actor[]) => actors.map((actor) => [actor.role, actor] as const);

const requested = packageRequested();
const offeredToThree = [
  requested,
  packageOffered(),
  packageOffered({ offerId: OTHER_OFFER_ID }),
  packageOffered({ offerId: THIRD_OFFER_ID }),
];
const accepted = [requested, packageOffered(), packageAccepted()];
const started = [...accepted, packageStarted()];
const AFTER_EXPIRY = '2026-11-23T14:00:01.000Z';

describe('HomeCarePackage', () => {
  describe('requesting', () => {
    it('records a process manager’s request for a discharge case', () => given().when(requestPackage()).then(packageRequested()));

    it('records the hub’s request from a community referral', () =>
      given()
        .when(requestPackage({ by: hub, origin: 'community-referral', caseId: undefined, referralId: 'referral-7' }))
        .then(packageRequested({ origin: 'community-referral', caseId: null, referralId: 'referral-7' })));

    it('refuses a hospital-discharge request with no case', () =>
      given()
        .when(requestPackage({ caseId: undefined }))
        .thenThrows(DomainRefusal, refused('ORIGIN_MISMATCH')));

    it('refuses a second request on the same package', () =>
      given(requested).when(requestPackage()).thenThrows(DomainRefusal, refused('PACKAGE_EXISTS', 'conflict')));

    it('refuses a package of no hours', () =>
      given()
        .when(requestPackage({ hoursPerWeek: 0 }))
        .thenThrows(DomainRefusal, refused('NO_CARE_HOURS')));

    it.each(roles(providerUser, ward, leader, admin))('refuses a %s user (403)', (_role, by) =>
      given().when(requestPackage({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });

  describe('offering', () => {
    it('offers the package to a provider, for its locality, hours and start date', () =>
      given(requested).when(offerPackage()).then(packageOffered()));

    it('offers to several providers at once', () =>
      given(requested, packageOffered())
        .when(offerPackage({ offerId: OTHER_OFFER_ID, providerId: OTHER_PROVIDER_ID }))
        .then(packageOffered({ offerId: OTHER_OFFER_ID })));

    it('records the hub’s coded override reason', () =>
      given(requested)
        .when(offerPackage({ overrideReason: 'urgent-discharge' }))
        .then(packageOffered({ overrideReason: 'urgent-discharge' })));

    it('refuses a second open offer to the same provider', () =>
      given(requested, packageOffered())
        .when(offerPackage({ offerId: OTHER_OFFER_ID }))
        .thenThrows(DomainRefusal, refused('PROVIDER_ALREADY_OFFERED', 'conflict')));

    it('refuses an offer once the package is placed', () =>
      given(...accepted)
        .when(offerPackage({ offerId: THIRD_OFFER_ID, providerId: THIRD_PROVIDER_ID }))
        .thenThrows(DomainRefusal, refused('PACKAGE_NOT_AWAITING_OFFERS', 'conflict')));

    it('refuses an offer that expires before it is made, or starts in the past', () => {
      given(requested)
        .when(offerPackage({ expiresAt: NOW }))
        .thenThrows(DomainRefusal, refused('EXPIRY_NOT_IN_FUTURE'));
      given(requested)
        .when(offerPackage({ startOn: '2026-11-22' }))
        .thenThrows(DomainRefusal, refused('START_DATE_IN_PAST'));
    });

    it.each(roles(providerUser, system, ward))('refuses an offer by a %s user (403)', (_role, by) =>
      given(requested).when(offerPackage({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });

  describe('the first acceptance wins', () => {
    it('places the package with the first provider to accept and withdraws the other offers', () =>
      given(...offeredToThree)
        .when(acceptPackageOffer({ offerId: OTHER_OFFER_ID, by: otherProviderUser }))
        .then(
          packageAccepted({ offerId: OTHER_OFFER_ID }),
          packageOfferWithdrawn({ offerId: 'offer-1' }),
          packageOfferWithdrawn({ offerId: THIRD_OFFER_ID }),
        ));

    it('refuses a later acceptance by another provider (409)', () =>
      given(...offeredToThree, packageAccepted(), packageOfferWithdrawn({ offerId: OTHER_OFFER_ID }))
        .when(acceptPackageOffer({ offerId: OTHER_OFFER_ID, by: otherProviderUser }))
        .thenThrows(DomainRefusal, refused('PACKAGE_ALREADY_PLACED', 'conflict')));

    it('decides nothing when the winner’s acceptance is retried', () =>
      given(...accepted)
        .when(acceptPackageOffer())
        .thenNothingHappens());

    it('does not withdraw offers already answered', () =>
      given(...offeredToThree, packageOfferDeclined({ offerId: THIRD_OFFER_ID }))
        .when(acceptPackageOffer())
        .then(packageAccepted(), packageOfferWithdrawn({ offerId: OTHER_OFFER_ID })));

    it('lets the hub record an acceptance taken by phone', () =>
      given(requested, packageOffered())
        .when(acceptPackageOffer({ by: hub }))
        .then(packageAccepted()));

    it('refuses a provider accepting another provider’s offer (403)', () =>
      given(...offeredToThree)
        .when(acceptPackageOffer({ by: otherProviderUser }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden')));

    it('refuses an acceptance after the offer’s expiry, even before the deadline fired', () =>
      given(requested, packageOffered())
        .when(acceptPackageOffer({ at: AFTER_EXPIRY }))
        .thenThrows(DomainRefusal, refused('OFFER_EXPIRED', 'conflict')));

    it('refuses an acceptance of a declined offer', () =>
      given(requested, packageOffered(), packageOfferDeclined())
        .when(acceptPackageOffer())
        .thenThrows(DomainRefusal, refused('OFFER_NOT_OPEN', 'conflict')));

    it('refuses an acceptance of a cancelled package', () =>
      given(requested, packageOffered(), packageOfferWithdrawn({ reason: 'package-cancelled' }), packageRequestCancelled())
        .when(acceptPackageOffer())
        .thenThrows(DomainRefusal, refused('PACKAGE_CANCELLED', 'conflict')));

    it('refuses an unknown offer (404)', () =>
      given(requested).when(acceptPackageOffer()).thenThrows(DomainRefusal, refused('OFFER_NOT_FOUND', 'not_found')));
  });

  describe('declining, withdrawing and expiring', () => {
    it('records a provider’s coded decline of its own offer', () =>
      given(requested, packageOffered()).when(declinePackageOffer()).then(packageOfferDeclined()));

    it('refuses a decline by another provider (403)', () =>
      given(requested, packageOffered())
        .when(declinePackageOffer({ by: otherProviderUser }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden')));

    it('lets the hub withdraw an open offer', () =>
      given(requested, packageOffered())
        .when(withdrawPackageOffer())
        .then(packageOfferWithdrawn({ reason: 'hub-withdrew' })));

    it('expires an unanswered offer when its deadline fires', () =>
      given(requested, packageOffered()).when(expirePackageOffer()).then(packageOfferExpired()));

    it('decides nothing for a repeated expiry', () =>
      given(requested, packageOffered(), packageOfferExpired()).when(expirePackageOffer()).thenNothingHappens());

    it('decides nothing for a late expiry of an offer already accepted or declined', () => {
      given(...accepted)
        .when(expirePackageOffer({ at: AFTER_EXPIRY }))
        .thenNothingHappens();
      given(requested, packageOffered(), packageOfferDeclined()).when(expirePackageOffer()).thenNothingHappens();
    });

    it('decides nothing for a deadline fired early', () =>
      given(requested, packageOffered())
        .when(expirePackageOffer({ at: NOW }))
        .thenNothingHappens());

    it('lets only the deadline scheduler expire an offer (403)', () =>
      given(requested, packageOffered())
        .when(expirePackageOffer({ by: hub }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));

    it('keeps the expiry instant on the event', () =>
      given(requested, packageOffered())
        .when(expirePackageOffer({ at: AFTER_EXPIRY }))
        .then(packageOfferExpired({ expiresAt: OFFER_EXPIRES_AT, expiredAt: AFTER_EXPIRY })));
  });

  describe('starting, reviewing and ending', () => {
    it('starts an accepted package', () =>
      given(...accepted)
        .when(startPackage())
        .then(packageStarted()));

    it('refuses a start before acceptance, or a second start', () => {
      given(requested, packageOffered()).when(startPackage()).thenThrows(DomainRefusal, refused('PACKAGE_NOT_ACCEPTED'));
      given(...started)
        .when(startPackage())
        .thenThrows(DomainRefusal, refused('PACKAGE_ALREADY_STARTED', 'conflict'));
    });

    it('refuses another provider starting the package (403)', () =>
      given(...accepted)
        .when(startPackage({ by: otherProviderUser }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden')));

    it('refuses a start in the future', () =>
      given(...accepted)
        .when(startPackage({ startedOn: '2026-11-24' }))
        .thenThrows(DomainRefusal, refused('DATE_IN_FUTURE')));

    it('records reablement reviews, once each', () => {
      given(...started)
        .when(recordReablementReview())
        .then(reablementReviewRecorded());
      given(...started, reablementReviewRecorded())
        .when(recordReablementReview())
        .thenNothingHappens();
      given(...started, reablementReviewRecorded())
        .when(recordReablementReview({ reviewId: 'review-2', progress: 'goals-met', hoursPerWeekNow: 4 }))
        .then(reablementReviewRecorded({ reviewId: 'review-2', progress: 'goals-met', hoursPerWeekNow: 4 }));
    });

    it('refuses a review of a package not started, or by another provider', () => {
      given(...accepted)
        .when(recordReablementReview())
        .thenThrows(DomainRefusal, refused('PACKAGE_NOT_ACTIVE'));
      given(...started)
        .when(recordReablementReview({ by: otherProviderUser }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden'));
    });

    it.each(PACKAGE_OUTCOMES)('ends a package with the outcome %s', (outcome) =>
      given(...started)
        .when(endPackage({ outcome }))
        .then(packageEnded({ outcome })),
    );

    it('refuses an unknown outcome, an end before the start, a second end', () => {
      given(...started)
        .when(endPackage({ outcome: 'moved-away' as never }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_OUTCOME'));
      given(...accepted, packageStarted({ startedOn: TODAY }))
        .when(endPackage({ endedOn: '2026-11-22' }))
        .thenThrows(DomainRefusal, refused('END_BEFORE_START'));
      given(...started, packageEnded())
        .when(endPackage())
        .thenThrows(DomainRefusal, refused('PACKAGE_ALREADY_ENDED', 'conflict'));
    });

    it('refuses another provider ending the package (403)', () =>
      given(...started)
        .when(endPackage({ by: otherProviderUser }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden')));
  });

  describe('cancelling (every compensation)', () => {
    it.each(CANCELLATION_REASONS)('withdraws the open offers and cancels for %s', (reason) =>
      given(...offeredToThree, packageOfferDeclined({ offerId: THIRD_OFFER_ID }))
        .when(cancelPackageRequest({ reason }))
        .then(
          packageOfferWithdrawn({ offerId: 'offer-1', reason: 'package-cancelled' }),
          packageOfferWithdrawn({ offerId: OTHER_OFFER_ID, reason: 'package-cancelled' }),
          packageRequestCancelled({ reason }),
        ),
    );

    it('names the accepted offer whose committed hours go back', () =>
      given(...accepted)
        .when(cancelPackageRequest({ reason: 'patient-died' }))
        .then(packageRequestCancelled({ reason: 'patient-died', committedOffer: offerPlace() })));

    it('decides nothing for a package never requested, already cancelled, or ended', () => {
      given().when(cancelPackageRequest()).thenNothingHappens();
      given(requested, packageRequestCancelled()).when(cancelPackageRequest()).thenNothingHappens();
      given(...started, packageEnded())
        .when(cancelPackageRequest())
        .thenNothingHappens();
    });

    it('refuses to cancel a package whose care has started: it ends with an outcome instead', () =>
      given(...started)
        .when(cancelPackageRequest())
        .thenThrows(DomainRefusal, refused('PACKAGE_ALREADY_STARTED', 'conflict')));

    it.each(roles(providerUser, ward))('refuses a cancellation by a %s user (403)', (_role, by) =>
      given(requested).when(cancelPackageRequest({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );
  });
});
