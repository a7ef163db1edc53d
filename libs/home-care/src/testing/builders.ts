import type { Actor, CommandMetadata } from '@app/event-sourcing';
import { actors, commandMetadata, type Issued } from '@app/event-sourcing/testing/builders';
import type {
  CapacityDeclared,
  CommitHours,
  DeclareCapacity,
  HoldHours,
  HoursCommitted,
  HoursHeld,
  HoursReleased,
  LedgerKey,
  ReleaseHours,
} from '../capacity-ledger';
import { ledgerIdOf } from '../capacity-ledger';
import type {
  AcceptPackageOffer,
  CancelPackageRequest,
  DeclinePackageOffer,
  EndPackage,
  ExpirePackageOffer,
  OfferPackage,
  PackageAccepted,
  PackageEnded,
  PackageOfferDeclined,
  PackageOfferExpired,
  PackageOffered,
  PackageOfferWithdrawn,
  PackageRequestCancelled,
  PackageRequested,
  PackageStarted,
  ReablementReviewRecorded,
  RecordReablementReview,
  RequestPackage,
  StartPackage,
  WithdrawPackageOffer,
} from '../home-care-package';

/** 10:00 on Monday 23 November 2026, GMT, so London dates equal UTC dates. */
export const NOW = '2026-11-23T10:00:00.000Z';
export const TODAY = '2026-11-23';
export const TOMORROW = '2026-11-24';
export const OFFER_EXPIRES_AT = '2026-11-23T14:00:00.000Z';

export const PROVIDER_ID = 'PRV-MENDIP-CARE';
export const OTHER_PROVIDER_ID = 'PRV-LEVELS-HOMECARE';
export const THIRD_PROVIDER_ID = 'PRV-PARRETT-VALE';
export const LOCALITY = 'MENDIP';
export const PACKAGE_ID = '3f1d2c4b-5a69-4788-9b0a-1c2d3e4f5a6b';
export const CASE_ID = '6c0f3f0e-8a51-4f7e-9f0a-2b9c1d4e5f60';
export const OFFER_ID = 'offer-1';
export const OTHER_OFFER_ID = 'offer-2';
export const THIRD_OFFER_ID = 'offer-3';

export const { hub, admin, ward, leader } = actors;
export const system: Actor = { userId: 'pm:home-care-packages', role: 'system', organisation: 'TOCH' };
export const providerUser: Actor = { userId: 'coordinator@mendip-care', role: 'provider', organisation: PROVIDER_ID };
export const otherProviderUser: Actor = { userId: 'coordinator@levels', role: 'provider', organisation: OTHER_PROVIDER_ID };

export const metadata = (by: Actor = hub, at: string = NOW): CommandMetadata => commandMetadata(by, at);

export type { Issued };

export const key = (overrides: Partial<LedgerKey> = {}): LedgerKey => ({
  providerId: PROVIDER_ID,
  locality: LOCALITY,
  date: TODAY,
  ...overrides,
});
const ledgerOf = (k: LedgerKey) => ({ ...k, ledgerId: ledgerIdOf(k) });

// ─── Ledger events ──────────────────────────────────────────────────────────────────────────────────────

export const capacityDeclared = (data: Partial<CapacityDeclared['data']> = {}): CapacityDeclared => ({
  type: 'CapacityDeclared',
  data: {
    ...ledgerOf(key(data)),
    returnNumber: 1,
    supersedes: null,
    hoursPerWeek: 40,
    newPackages: 3,
    staffing: null,
    workforceAbsencePercent: null,
    workforceAtRisk: false,
    shortfall: null,
    declaredAt: NOW,
    ...data,
  },
});

export const hoursHeld = (data: Partial<HoursHeld['data']> = {}): HoursHeld => ({
  type: 'HoursHeld',
  data: {
    ...ledgerOf(key(data)),
    holdId: OFFER_ID,
    packageId: PACKAGE_ID,
    hours: 14,
    expiresAt: OFFER_EXPIRES_AT,
    override: null,
    heldAt: NOW,
    ...data,
  },
});

export const hoursCommitted = (data: Partial<HoursCommitted['data']> = {}): HoursCommitted => ({
  type: 'HoursCommitted',
  data: {
    ...ledgerOf(key(data)),
    holdId: OFFER_ID,
    packageId: PACKAGE_ID,
    hours: 14,
    retaken: false,
    committedAt: NOW,
    ...data,
  },
});

export const hoursReleased = (data: Partial<HoursReleased['data']> = {}): HoursReleased => ({
  type: 'HoursReleased',
  data: {
    ...ledgerOf(key(data)),
    holdId: OFFER_ID,
    packageId: PACKAGE_ID,
    hours: 14,
    from: 'held',
    reason: 'offer-declined',
    releasedAt: NOW,
    ...data,
  },
});

// ─── Ledger commands ────────────────────────────────────────────────────────────────────────────────────

export const declareCapacity = ({
  by = providerUser,
  at = NOW,
  ...data
}: Partial<DeclareCapacity['data']> & Issued = {}): DeclareCapacity => ({
  type: 'DeclareCapacity',
  data: { ...key(data), hoursPerWeek: 40, newPackages: 3, ...data },
  metadata: metadata(by, at),
});

export const holdHours = ({ by = hub, at = NOW, ...data }: Partial<HoldHours['data']> & Issued = {}): HoldHours => ({
  type: 'HoldHours',
  data: { ...key(data), holdId: OFFER_ID, packageId: PACKAGE_ID, hours: 14, expiresAt: OFFER_EXPIRES_AT, ...data },
  metadata: metadata(by, at),
});

export const commitHours = ({ by = system, at = NOW, ...data }: Partial<CommitHours['data']> & Issued = {}): CommitHours => ({
  type: 'CommitHours',
  data: { ...key(data), holdId: OFFER_ID, ...data },
  metadata: metadata(by, at),
});

export const releaseHours = ({ by = system, at = NOW, ...data }: Partial<ReleaseHours['data']> & Issued = {}): ReleaseHours => ({
  type: 'ReleaseHours',
  data: { ...key(data), holdId: OFFER_ID, reason: 'offer-declined', ...data },
  metadata: metadata(by, at),
});

// ─── Package events ─────────────────────────────────────────────────────────────────────────────────────

const place = (offerId: string, providerId: string) => ({
  offerId,
  providerId,
  locality: LOCALITY,
  startOn: TOMORROW,
  hoursPerWeek: 14,
});
const placeFor = (data: { offerId?: string; providerId?: string }) => {
  const offerId = data.offerId ?? OFFER_ID;
  const providerId =
    data.providerId ??
    (offerId === OTHER_OFFER_ID ? OTHER_PROVIDER_ID : offerId === THIRD_OFFER_ID ? THIRD_PROVIDER_ID : PROVIDER_ID);
  return place(offerId, providerId);
};

export const packageRequested = (data: Partial<PackageRequested['data']> = {}): PackageRequested => ({
  type: 'PackageRequested',
  data: {
    packageId: PACKAGE_ID,
    origin: 'hospital-discharge',
    caseId: CASE_ID,
    referralId: null,
    area: LOCALITY,
    hoursPerWeek: 14,
    requestedAt: NOW,
    ...data,
  },
});

export const packageOffered = (data: Partial<PackageOffered['data']> = {}): PackageOffered => ({
  type: 'PackageOffered',
  data: {
    ...placeFor(data),
    packageId: PACKAGE_ID,
    expiresAt: OFFER_EXPIRES_AT,
    overrideReason: null,
    offeredAt: NOW,
    ...data,
  },
});

export const packageAccepted = (data: Partial<PackageAccepted['data']> = {}): PackageAccepted => ({
  type: 'PackageAccepted',
  data: { ...placeFor(data), packageId: PACKAGE_ID, caseId: CASE_ID, referralId: null, acceptedAt: NOW, ...data },
});

export const packageOfferDeclined = (data: Partial<PackageOfferDeclined['data']> = {}): PackageOfferDeclined => ({
  type: 'PackageOfferDeclined',
  data: { ...placeFor(data), packageId: PACKAGE_ID, reason: 'no-carers-available', declinedAt: NOW, ...data },
});

export const packageOfferExpired = (data: Partial<PackageOfferExpired['data']> = {}): PackageOfferExpired => ({
  type: 'PackageOfferExpired',
  data: { ...placeFor(data), packageId: PACKAGE_ID, expiresAt: OFFER_EXPIRES_AT, expiredAt: OFFER_EXPIRES_AT, ...data },
});

export const packageOfferWithdrawn = (data: Partial<PackageOfferWithdrawn['data']> = {}): PackageOfferWithdrawn => ({
  type: 'PackageOfferWithdrawn',
  data: { ...placeFor(data), packageId: PACKAGE_ID, reason: 'another-offer-accepted', withdrawnAt: NOW, ...data },
});

export const packageStarted = (data: Partial<PackageStarted['data']> = {}): PackageStarted => ({
  type: 'PackageStarted',
  data: { packageId: PACKAGE_ID, caseId: CASE_ID, providerId: PROVIDER_ID, startedOn: TODAY, recordedAt: NOW, ...data },
});

export const reablementReviewRecorded = (data: Partial<ReablementReviewRecorded['data']> = {}): ReablementReviewRecorded => ({
  type: 'ReablementReviewRecorded',
  data: {
    packageId: PACKAGE_ID,
    providerId: PROVIDER_ID,
    reviewId: 'review-1',
    reviewedOn: TODAY,
    progress: 'goals-partly-met',
    hoursPerWeekNow: 10,
    recordedAt: NOW,
    ...data,
  },
});

export const packageEnded = (data: Partial<PackageEnded['data']> = {}): PackageEnded => ({
  type: 'PackageEnded',
  data: {
    packageId: PACKAGE_ID,
    caseId: CASE_ID,
    providerId: PROVIDER_ID,
    outcome: 'no-ongoing-needs',
    startedOn: TODAY,
    endedOn: TODAY,
    recordedAt: NOW,
    ...data,
  },
});

export const packageRequestCancelled = (data: Partial<PackageRequestCancelled['data']> = {}): PackageRequestCancelled => ({
  type: 'PackageRequestCancelled',
  data: { packageId: PACKAGE_ID, caseId: CASE_ID, reason: 'case-withdrawn', committedOffer: null, cancelledAt: NOW, ...data },
});

export const offerPlace = (offerId = OFFER_ID, providerId?: string) => placeFor({ offerId, providerId });

// ─── Package commands ───────────────────────────────────────────────────────────────────────────────────

export const requestPackage = ({
  by = system,
  at = NOW,
  ...data
}: Partial<RequestPackage['data']> & Issued = {}): RequestPackage => ({
  type: 'RequestPackage',
  data: { packageId: PACKAGE_ID, origin: 'hospital-discharge', caseId: CASE_ID, area: LOCALITY, hoursPerWeek: 14, ...data },
  metadata: metadata(by, at),
});

export const offerPackage = ({ by = hub, at = NOW, ...data }: Partial<OfferPackage['data']> & Issued = {}): OfferPackage => ({
  type: 'OfferPackage',
  data: {
    packageId: PACKAGE_ID,
    offerId: OFFER_ID,
    providerId: PROVIDER_ID,
    startOn: TOMORROW,
    expiresAt: OFFER_EXPIRES_AT,
    ...data,
  },
  metadata: metadata(by, at),
});

export const acceptPackageOffer = ({
  by = providerUser,
  at = NOW,
  ...data
}: Partial<AcceptPackageOffer['data']> & Issued = {}): AcceptPackageOffer => ({
  type: 'AcceptPackageOffer',
  data: { packageId: PACKAGE_ID, offerId: OFFER_ID, ...data },
  metadata: metadata(by, at),
});

export const declinePackageOffer = ({
  by = providerUser,
  at = NOW,
  ...data
}: Partial<DeclinePackageOffer['data']> & Issued = {}): DeclinePackageOffer => ({
  type: 'DeclinePackageOffer',
  data: { packageId: PACKAGE_ID, offerId: OFFER_ID, reason: 'no-carers-available', ...data },
  metadata: metadata(by, at),
});

export const expirePackageOffer = ({
  by = system,
  at = OFFER_EXPIRES_AT,
  ...data
}: Partial<ExpirePackageOffer['data']> & Issued = {}): ExpirePackageOffer => ({
  type: 'ExpirePackageOffer',
  data: { packageId: PACKAGE_ID, offerId: OFFER_ID, ...data },
  metadata: metadata(by, at),
});

export const withdrawPackageOffer = ({
  by = hub,
  at = NOW,
  ...data
}: Partial<WithdrawPackageOffer['data']> & Issued = {}): WithdrawPackageOffer => ({
  type: 'WithdrawPackageOffer',
  data: { packageId: PACKAGE_ID, offerId: OFFER_ID, ...data },
  metadata: metadata(by, at),
});

export const startPackage = ({
  by = providerUser,
  at = NOW,
  ...data
}: Partial<StartPackage['data']> & Issued = {}): StartPackage => ({
  type: 'StartPackage',
  data: { packageId: PACKAGE_ID, startedOn: TODAY, ...data },
  metadata: metadata(by, at),
});

export const recordReablementReview = ({
  by = providerUser,
  at = NOW,
  ...data
}: Partial<RecordReablementReview['data']> & Issued = {}): RecordReablementReview => ({
  type: 'RecordReablementReview',
  data: {
    packageId: PACKAGE_ID,
    reviewId: 'review-1',
    reviewedOn: TODAY,
    progress: 'goals-partly-met',
    hoursPerWeekNow: 10,
    ...data,
  },
  metadata: metadata(by, at),
});

export const endPackage = ({ by = providerUser, at = NOW, ...data }: Partial<EndPackage['data']> & Issued = {}): EndPackage => ({
  type: 'EndPackage',
  data: { packageId: PACKAGE_ID, outcome: 'no-ongoing-needs', endedOn: TODAY, ...data },
  metadata: metadata(by, at),
});

export const cancelPackageRequest = ({
  by = system,
  at = NOW,
  ...data
}: Partial<CancelPackageRequest['data']> & Issued = {}): CancelPackageRequest => ({
  type: 'CancelPackageRequest',
  data: { packageId: PACKAGE_ID, reason: 'case-withdrawn', ...data },
  metadata: metadata(by, at),
});
