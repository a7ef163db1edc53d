import type { LondonDate } from '@app/time';

export type Pathway = 0 | 1 | 2 | 3;
export const PATHWAYS: readonly Pathway[] = [0, 1, 2, 3];

export interface Area {
  code: string;
  name: string;
  /** The former district's ONS code, where the locality was a district. */
  formerDistrictCode?: string;
  adjacentTo: readonly string[];
}

export interface Trust {
  odsCode: string;
  name: string;
  note?: string;
}

export interface Ward {
  code: string;
  name: string;
}

export interface Hospital {
  siteOdsCode: string;
  name: string;
  trustOdsCode: string;
  area: string;
  /** True where the site and ward codes have not been checked against ODS. */
  codesIllustrative: boolean;
  note?: string;
  wards: readonly Ward[];
}

export interface DelayReasonFamily {
  code: string;
  label: string;
}

/** A national delay reason as worded in one version of the list. */
export interface DelayReason {
  code: string;
  version: string;
  family: string;
  label: string;
  /** Set for reasons that belong to one pathway (interface and capacity reasons). */
  pathway?: Pathway;
}

export interface DelayReasonVersion {
  version: string;
  effectiveFrom: LondonDate;
  source: string;
  reasons: readonly DelayReason[];
}

export interface DischargeDestination {
  /** NHS Data Dictionary DISCHARGE DESTINATION code. */
  code: string;
  label: string;
  shortLabel: string;
  offered: boolean;
  retired: boolean;
  /** For a retired code: the current code that imported history is read as. */
  mapsTo?: string;
  mappingNote?: string;
  note?: string;
}

export type TargetComparison = 'at-least' | 'at-most' | 'about';
export const TARGET_COMPARISONS: readonly TargetComparison[] = ['at-least', 'at-most', 'about'];

export interface PathwayTarget {
  pathway: Pathway;
  percent: number;
  comparison: TargetComparison;
}

export interface PathwayTargetSet {
  id: string;
  label: string;
  source: string;
  population: string;
  /** When set, the set applies only to discharges in these age bands. */
  ageBands?: readonly string[];
  targets: readonly PathwayTarget[];
}

export interface HomeFirstMeasure {
  id: string;
  label: string;
  pathways: readonly Pathway[];
  percent: number;
  comparison: TargetComparison;
  source: string;
}

export type ServiceLevelUnit = 'minutes' | 'hours' | 'london-calendar-days';
export const SERVICE_LEVEL_UNITS: readonly ServiceLevelUnit[] = ['minutes', 'hours', 'london-calendar-days'];

export interface ServiceLevel {
  id: string;
  label: string;
  from: string;
  to: string;
  /** minutes and hours are elapsed time; london-calendar-days compare London dates (DESIGN §2 "Time"). */
  within: { amount: number; unit: ServiceLevelUnit };
  source: string;
}

export interface HierarchyTier {
  tier: number;
  code: string;
  label: string;
}

export interface AgeBand {
  code: string;
  label: string;
  minAge: number;
  /** null for the open-ended top band. */
  maxAge: number | null;
}

export interface DelayedBedDayCost {
  amountGbp: number;
  basis: string;
  illustrative: boolean;
  source: string;
}

export interface LeaderViews {
  /** A count c with 0 < c < threshold is suppressed in leader views. */
  smallCountSuppressionThreshold: number;
  note?: string;
}

/** The validated contents of a reference data file. */
export interface ReferenceDataContents {
  format: string;
  name: string;
  illustrative: boolean;
  areas: readonly Area[];
  areasNote?: string;
  trusts: readonly Trust[];
  hospitals: readonly Hospital[];
  delayReasons: {
    current: string;
    families: readonly DelayReasonFamily[];
    versions: readonly DelayReasonVersion[];
  };
  dischargeDestinations: {
    source: string;
    codes: readonly DischargeDestination[];
    byPathway: Readonly<Record<`${Pathway}`, readonly string[]>>;
    byPathwayNote?: string;
  };
  pathwayTargetSets: readonly PathwayTargetSet[];
  homeFirstMeasures: readonly HomeFirstMeasure[];
  serviceLevels: readonly ServiceLevel[];
  hierarchyOfUse: readonly HierarchyTier[];
  ageBands: readonly AgeBand[];
  delayedBedDayCost: DelayedBedDayCost;
  leaderViews: LeaderViews;
}
