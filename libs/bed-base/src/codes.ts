import { DomainRefusal, type Actor, type RefusalKind, type Role } from '@app/event-sourcing';
import { P2_BED_CATEGORIES, P3_BED_CATEGORIES, type BedCategory, type Needs, type SexForBayAllocation } from '@app/discharge';

export { P2_BED_CATEGORIES, P3_BED_CATEGORIES, type BedCategory, type SexForBayAllocation };

/** The bedded pathways: a bed belongs to one of them. */
export type BedPathway = 2 | 3;
export const BED_PATHWAYS: readonly BedPathway[] = [2, 3];

export const SITE_KINDS = ['community-hospital', 'care-home', 'rehab-unit', 'hospice'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const BED_CAPABILITIES = ['bariatric', 'dementia', 'hoist', 'side-room', 'oxygen'] as const;
export type BedCapability = (typeof BED_CAPABILITIES)[number];

/** A side room is a single room; a bay is single-sex. */
export const BAY_SEXES = ['male', 'female', 'single-room'] as const;
export type BaySex = (typeof BAY_SEXES)[number];

/** block = contracted; spot = spot-purchased; nhs-community = the NHS community trust's own beds. */
export const FUNDING_TYPES = ['block', 'spot', 'nhs-community'] as const;
export type Funding = (typeof FUNDING_TYPES)[number];

export const BED_CLOSURE_REASONS = ['infection', 'staffing', 'maintenance', 'estates'] as const;
export type BedClosureReason = (typeof BED_CLOSURE_REASONS)[number];

export const SITE_CLOSURE_REASONS = ['outbreak', 'staffing', 'estates', 'regulatory'] as const;
export type SiteClosureReason = (typeof SITE_CLOSURE_REASONS)[number];

export const LEAVING_OUTCOMES = ['home', 'home-with-care', 'long-term-care', 'hospital', 'died'] as const;
export type LeavingOutcome = (typeof LEAVING_OUTCOMES)[number];

/** Why a bed request closed without an admission: the compensations (DESIGN §3), plus the hub's own decision. */
export const REQUEST_CLOSURE_REASONS = [
  'case-withdrawn',
  'patient-died',
  'criteria-to-reside-met-again',
  'pathway-changed',
  'discharged-elsewhere',
  'no-longer-needed',
] as const;
export type RequestClosureReason = (typeof REQUEST_CLOSURE_REASONS)[number];

export const RELEASE_REASONS = ['released-by-hub', 'request-closed', 'request-already-reserved'] as const;
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

export const REQUEST_ORIGINS = ['hospital-discharge', 'community-referral'] as const;
export type RequestOrigin = (typeof REQUEST_ORIGINS)[number];

/** What a bed must offer a person, in bed-base words, derived once from the referral's coded needs. */
export interface BedNeeds {
  capabilities: readonly BedCapability[];
  sexForBayAllocation: SexForBayAllocation;
  /** Needs a side room for infection control (e.g. C. difficile, CPE). */
  infectionIsolation: boolean;
  endOfLife: boolean;
  opmh: boolean;
}

export const bedNeedsFromReferral = (needs: Needs, infectionIsolation = false): BedNeeds => {
  const { specialist, mobility, equipment } = needs;
  const wanted: Record<BedCapability, boolean> = {
    bariatric: specialist.bariatric || equipment.includes('bariatric-equipment'),
    dementia: specialist.dementia,
    hoist: mobility === 'hoist' || equipment.includes('hoist'),
    'side-room': specialist.sideRoom,
    oxygen: equipment.includes('oxygen'),
  };
  return {
    capabilities: BED_CAPABILITIES.filter((capability) => wanted[capability]),
    sexForBayAllocation: specialist.sexForBayAllocation,
    infectionIsolation,
    endOfLife: specialist.endOfLife,
    opmh: specialist.opmh,
  };
};

export const isCategoryOnPathway = (pathway: BedPathway, category: string): category is BedCategory =>
  ((pathway === 2 ? P2_BED_CATEGORIES : P3_BED_CATEGORIES) as readonly string[]).includes(category);

/** The lists the deciders check against, as plain data; see `bedBaseRulesFrom`. */
export interface BedBaseRules {
  isKnownArea(code: string): boolean;
  isKnownTier(tier: number): boolean;
}

export const refuse = (
  code: string,
  message: string,
  kind: RefusalKind = 'unprocessable',
  details: Record<string, unknown> = {},
) => new DomainRefusal(code, message, kind, details);

export const assertRole = (actor: Actor, roles: readonly Role[], what: string): void => {
  if (!roles.includes(actor.role)) {
    throw refuse('ROLE_NOT_PERMITTED', `Only ${roles.join(' or ')} users may ${what}`, 'forbidden');
  }
};

export const assertOneOf = <T extends string>(list: readonly T[], value: string, field: string): void => {
  if (!(list as readonly string[]).includes(value)) {
    throw refuse('UNKNOWN_CODE', `${field} must be one of ${list.join(', ')}`, 'unprocessable', { field, value });
  }
};

export const assertInstant = (value: string, field: string): void => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw refuse('INVALID_INSTANT', `${field} must be an ISO 8601 instant`, 'unprocessable', { field });
  }
};

/** Configuration: the hub and admins. */
export const CONFIGURERS: readonly Role[] = ['hub', 'admin'];
