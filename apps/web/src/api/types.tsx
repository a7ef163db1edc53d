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

export type Counts = [number, number, number, number];
export type Shares = [number | null, number | null, number | null, number | null];

export interface WindowFigures {
  window: { firstDate: string; lastDate: string };
  basis: 'acute-activity-feed' | 'referred-discharges';
  label: string;
  counts: Counts;
  total: number;
  shares: Shares;
  referred: { counts: Counts; total: number };
  feed: { counts: Counts; total: number; daysCovered: number } | null;
}

export interface PathwayShares {
  date: string;
  asOf: string | null;
  position: string | null;
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
