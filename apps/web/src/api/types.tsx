/** Response shapes of the endpoints the UI uses (see the controllers in libs/ and /api/docs). */

export type Role = 'ward' | 'hub' | 'provider' | 'leader' | 'admin';
export type Pathway = 0 | 1 | 2 | 3;
export type CaseStatus = 'referred' | 'accepted' | 'returned' | 'withdrawn' | 'discharged';

export interface DemoUser {
  userId: string;
  role: Role;
  organisation: string;
  displayName: string;
}

export interface SignedInUser {
  userId: string;
  role: Role;
  organisation: string;
  displayName?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: SignedInUser;
}

export interface PathwayPlan {
  pathway: Pathway;
  homeCareNeeded: boolean | null;
  bedCategory: string | null;
  intentionToReturnHome: boolean | null;
}

export interface OpenDelay {
  delayId: string;
  reasonCode: string;
  reasonVersion: string;
  openedAt: string;
  primary: boolean;
}

export interface CaseFacts {
  caseId: string;
  status: CaseStatus;
  hospital: string;
  admittedOn: string;
  ageBand: string;
  submittedAt: string;
  plan: PathwayPlan | null;
  nctrFrom: string | null;
  lastMetAgainOn: string | null;
  delays: OpenDelay[];
  placements: string[];
  identityErased: boolean;
  dischargedAt?: string;
  followUpDueOn?: string | null;
  followUpRaised?: boolean;
  followUpRecorded?: boolean;
}

export interface CaseListRow {
  caseId: string;
  revision: number;
  status: CaseStatus;
  lastChangedAt: string;
  followUpDue: unknown;
  person: { nhsNumber: string | null; name: string } | null;
  facts: CaseFacts;
}

export interface PatientIdentity {
  nhsNumber?: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  postcode: string;
}

export interface HistoryEntry {
  type: string;
  revision: number;
  occurredAt: string;
  recordedAt: string;
  by: { userId: string; role: Role; organisation: string };
  data: Record<string, unknown>;
  note?: string | null;
}

export interface CaseView {
  caseId: string;
  revision: number;
  status: CaseStatus;
  identity: PatientIdentity | null;
  identityErased: boolean;
  facts: CaseFacts;
  history: HistoryEntry[];
}

export interface CommandResult {
  caseId: string;
  revision?: number;
}

export interface SubmitResult extends CommandResult {
  caseId: string;
}

/** A count for a leader: a number, or "suppressed" (1 to threshold − 1, or hidden so a total cannot give one away). */
export type Cell = number | 'suppressed';
/** A share is hidden ("suppressed") when its count or its total is: never derive one from a suppressed count. */
export type ShareCell = number | null | 'suppressed';
export type Counts = [Cell, Cell, Cell, Cell];
export type Shares = [ShareCell, ShareCell, ShareCell, ShareCell];

export interface WindowFigures {
  window: { firstDate: string; lastDate: string };
  basis: 'acute-activity-feed' | 'referred-discharges';
  label: string;
  counts: Counts;
  total: Cell;
  shares: Shares;
  referred: { counts: Counts; total: Cell };
  feed: { counts: Counts; total: Cell; daysCovered: number } | null;
}

export interface PathwayShares {
  date: string;
  asOf: string | null;
  position: string | null;
  suppression?: { threshold: number; note: string };
  today: WindowFigures;
  monthToDate: WindowFigures;
}

export type Comparison = 'at-least' | 'at-most' | 'about';

export interface ReferenceData {
  name: string;
  illustrative: boolean;
  areas: { code: string; name: string }[];
  trusts: { odsCode: string; name: string; note?: string }[];
  hospitals: {
    siteOdsCode: string;
    name: string;
    trustOdsCode: string;
    area: string;
    codesIllustrative: boolean;
    wards: { code: string; name: string }[];
  }[];
  delayReasons: {
    current: string;
    families: { code: string; label: string }[];
    versions: {
      version: string;
      effectiveFrom: string;
      source: string;
      reasons: { code: string; version: string; family: string; label: string; pathway?: Pathway }[];
    }[];
  };
  dischargeDestinations: {
    source: string;
    codes: { code: string; label: string; shortLabel: string; offered: boolean; retired: boolean }[];
    byPathway: Record<'0' | '1' | '2' | '3', string[]>;
  };
  pathwayTargetSets: {
    id: string;
    label: string;
    source: string;
    population: string;
    ageBands?: string[];
    targets: { pathway: Pathway; percent: number; comparison: Comparison }[];
  }[];
  homeFirstMeasures: {
    id: string;
    label: string;
    pathways: Pathway[];
    percent: number;
    comparison: Comparison;
    source: string;
  }[];
  serviceLevels: {
    id: string;
    label: string;
    from: string;
    to: string;
    within: { amount: number; unit: string };
    source: string;
  }[];
  hierarchyOfUse: { tier: number; code: string; label: string }[];
  ageBands: { code: string; label: string; minAge: number; maxAge: number | null }[];
  delayedBedDayCost: { amountGbp: number; basis: string; illustrative: boolean; source: string };
  leaderViews: { smallCountSuppressionThreshold: number; note?: string };
}

// ─── Bed base (libs/bed-base: bed-board.projection.ts, bed-base.service.ts) ───────────────────────────────

export type BedStatus = 'occupied' | 'reserved' | 'closed' | 'stood-down' | 'site-closed' | 'open';

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
  closureReason: string | null;
  caseId?: string | null;
  requestId?: string | null;
  reservationId?: string | null;
  reservationExpiresAt?: string | null;
}

export interface BedNeeds {
  capabilities: string[];
  sexForBayAllocation: string;
  infectionIsolation: boolean;
  endOfLife: boolean;
  opmh: boolean;
}

export interface OpenBedRequest {
  requestId: string;
  caseId: string;
  origin: 'hospital-discharge' | 'community-referral';
  pathway: number;
  bedCategory: string;
  area: string;
  needs: BedNeeds;
  openedAt: string;
  reservation: { bedId: string; reservationId: string; expiresAt: string } | null;
  ageHours: number;
}

export interface BedRecommendation {
  requestId: string;
  caseId: string;
  need: { pathway: number; bedCategory: string; area: string } & Partial<BedNeeds>;
  summary: string;
  noBedFits: boolean;
  ranked: {
    bedId: string;
    rank: number;
    reasons: string[];
    label?: string;
    siteId?: string;
    siteName?: string;
    tier?: number;
    category?: string;
  }[];
  excluded: { bedId: string; reasons: string[] }[];
}

export interface Reservation {
  reservationId: string;
  requestId: string;
  caseId: string;
  bedId: string;
  siteId: string;
  expiresAt: string;
}

export interface BedCounts {
  commissioned: number;
  open: number;
  closed: number;
  stoodDown: number;
  reserved: number;
  occupied: number;
  siteClosed: number;
  available: number;
  occupancy: number | null;
}

export interface BedBaseSummary {
  total: BedCounts;
  byTier: Record<string, BedCounts>;
  bySite: Record<string, BedCounts & { name: string; locality: string; closedToAdmissions: string | null }>;
  byArea: Record<string, BedCounts>;
  byCategory: Record<string, BedCounts>;
  longStays: { thresholdDays: number; count: number };
}

export interface LongStay {
  bedId: string;
  label: string;
  siteId: string;
  siteName: string;
  caseId: string;
  admittedAt: string;
  days: number;
}

// ─── Home care (libs/home-care: home-care-view.projection.ts) ─────────────────────────────────────────────

export interface CapacityCell {
  date: string;
  returned: boolean;
  revision: number | null;
  declaredHours: number;
  heldHours: number;
  committedHours: number;
  freeHours: number;
  declaredPackages: number;
  heldPackages: number;
  committedPackages: number;
  freePackages: number;
  workforceAbsencePercent: number | null;
  workforceAtRisk: boolean;
}

export interface PooledWorkforce {
  careWorkersRostered: number;
  careWorkersAbsent: number;
  percent: number | null;
  atRisk: boolean;
}

export interface ProviderCapacity {
  providerId: string;
  name: string;
  status: 'active' | 'suspended';
  suspendedFor: string | null;
  localities: { locality: string; days: CapacityCell[] }[];
  revision: number;
  workforce: PooledWorkforce;
}

export interface LedgerGrid {
  from: string;
  to: string;
  dates: string[];
  rule: string;
  providers: ProviderCapacity[];
  byLocality: {
    locality: string;
    days: {
      date: string;
      providersReturned: number;
      declaredHours: number;
      heldHours: number;
      committedHours: number;
      freeHours: number;
    }[];
  }[];
  workforce: { date: string; system: PooledWorkforce; providersAtRisk: string[] };
}

export interface WaitingPackage {
  packageId: string;
  caseId: string | null;
  referralId: string | null;
  status: 'requested' | 'accepted';
  area: string;
  hoursPerWeek: number;
  requestedAt: string;
  daysWaiting: number;
  offersOut: number;
  offersDeclined: number;
}

export interface PackageOffer {
  offerId: string;
  providerId: string;
  locality: string;
  startOn: string;
  hoursPerWeek: number;
  expiresAt: string;
  status: 'open' | 'accepted' | 'declined' | 'expired' | 'withdrawn';
  lapsed?: boolean;
}

export interface PackageSummary {
  packageId: string;
  revision: number;
  status: 'requested' | 'accepted' | 'active' | 'ended' | 'cancelled';
  origin: string;
  caseId?: string | null;
  area: string;
  hoursPerWeek: number;
  hoursPerWeekNow: number;
  requestedAt: string;
  providerId: string | null;
  startOn: string | null;
  startedOn: string | null;
  endedOn: string | null;
  outcome: string | null;
  cancelledFor: string | null;
  daysFromRequestToStart: number | null;
  lastChangedAt: string;
  offers: PackageOffer[];
}

export interface ProviderScreen extends ProviderCapacity {
  offers: {
    packageId: string;
    packageRevision: number;
    offerId: string;
    area: string;
    hoursPerWeek: number;
    startOn: string;
    expiresAt: string;
  }[];
  packages: PackageSummary[];
}

export interface ProviderListItem {
  providerId: string;
  name: string;
  status: 'active' | 'suspended';
  suspendedFor: string | null;
  localities: string[];
  revision: number;
}

// ─── Hub: parked messages and KPIs (libs/messaging, libs/hub/src/kpis) ────────────────────────────────────

export interface ParkedMessage {
  status: 'none' | 'parked' | 'resolved' | 'dismissed';
  parkedId?: string;
  processManager?: string;
  eventId?: string;
  eventType?: string;
  command?: { type: string };
  reason?: { code: string; message: string };
  parkedAt?: string;
  attempts: number;
}

export interface KpiDefinition {
  id: string;
  title: string;
  numerator: string;
  denominator: string;
  dateBasis: string;
  timeZone: string;
  snapshot: string;
  breakdowns?: string;
  notes?: string;
  source?: string;
}

export type KpiWindowName = 'today' | 'last7Days' | 'monthToDate' | 'rolling28Days';
export type Distribution = Record<string, Cell>;

export interface KpiDischargeWindow {
  window: { firstDate: string; lastDate: string; days: number };
  basis: string;
  label: string;
  counts: Counts;
  total: Cell;
  shares: Shares;
}

export interface Kpis {
  date: string;
  suppression?: { threshold: number; note: string };
  dischargesByPathway: Record<KpiWindowName, KpiDischargeWindow>;
  nctrNow: {
    date: string;
    total: Cell;
    byPathway: Record<string, Cell>;
    byPrimaryReason: Record<string, Cell>;
    byDaysWaiting: Record<string, Cell>;
  };
  delayedBedDays: {
    window: { firstDate: string; lastDate: string };
    bedDays: Cell;
    people: Cell;
    costGbp: Cell;
    rateIllustrative: boolean;
  };
  ascof2b1: {
    cohort: { from: string; to: string };
    cohortSize: Cell;
    atHome: Cell;
    followedUp: Cell;
    rate: ShareCell;
    byResult: Record<string, Cell>;
    pending: Cell;
    overdue: Cell;
  };
  bedBase?: {
    at: string;
    beds: Omit<BedBaseSummary, 'longStays'>;
    longStays: { thresholdDays: number; count: Cell };
    bedStart: Record<KpiWindowName, { withinLimit: Cell; measured: Cell; share: ShareCell; waiting: Cell }>;
    openRequests: { total: Cell; byOrigin: Record<string, Cell> };
  };
  d2a?: {
    at: string;
    capacity: {
      from: string;
      to: string;
      rule: string;
      total: { date: string; declaredHours: number; heldHours: number; committedHours: number; freeHours: number }[];
    };
    workforce: { date: string; riskPercent: number; system: PooledWorkforce; providersAtRisk: string[] };
    waiting: {
      total: Cell;
      awaitingPlacement: Cell;
      placedNotStarted: Cell;
      byArea: Record<string, Cell>;
      byDaysWaiting: Record<string, Cell>;
      longestDays: Cell;
    };
  };
  parkedMessages?: { count: number; oldestParkedAt: string | null };
}
