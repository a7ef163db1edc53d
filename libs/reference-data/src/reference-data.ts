import { londonDate, londonDaysBetween, parseInstant, type Instant, type LondonDate } from '@app/time';
import type {
  AgeBand,
  Area,
  DelayReason,
  DelayReasonVersion,
  DischargeDestination,
  Hospital,
  Pathway,
  PathwayTargetSet,
  ReferenceDataContents,
  ServiceLevel,
  Ward,
} from './types';

export class UnknownReferenceCode extends Error {
  override readonly name = 'UnknownReferenceCode';
}

/**
 * Loaded reference lists (frozen) and the look-ups the contexts need. Every look-up that can miss returns
 * undefined rather than throwing, so a projection replaying an odd old event can decide what to show.
 */
export class ReferenceData {
  readonly contents: ReferenceDataContents;
  private readonly areasByCode: ReadonlyMap<string, Area>;
  private readonly hospitalsBySite: ReadonlyMap<string, Hospital>;
  private readonly wardsByCode: ReadonlyMap<string, { hospital: Hospital; ward: Ward }>;
  private readonly reasonVersions: ReadonlyMap<string, ReadonlyMap<string, DelayReason>>;
  private readonly destinationsByCode: ReadonlyMap<string, DischargeDestination>;

  constructor(
    contents: ReferenceDataContents,
    /** Where the data came from, for logs and health output. */
    readonly file: string,
  ) {
    this.contents = deepFreeze(contents);
    this.areasByCode = new Map(contents.areas.map((area) => [area.code, area]));
    this.hospitalsBySite = new Map(contents.hospitals.map((hospital) => [hospital.siteOdsCode, hospital]));
    this.wardsByCode = new Map(
      contents.hospitals.flatMap((hospital) => hospital.wards.map((ward) => [ward.code, { hospital, ward }] as const)),
    );
    this.reasonVersions = new Map(
      contents.delayReasons.versions.map((v) => [v.version, new Map(v.reasons.map((reason) => [reason.code, reason]))]),
    );
    this.destinationsByCode = new Map(contents.dischargeDestinations.codes.map((d) => [d.code, d]));
    Object.freeze(this);
  }

  get areas(): readonly Area[] {
    return this.contents.areas;
  }

  area(code: string): Area | undefined {
    return this.areasByCode.get(code);
  }

  areAdjacent(a: string, b: string): boolean {
    return this.areasByCode.get(a)?.adjacentTo.includes(b) ?? false;
  }

  get hospitals(): readonly Hospital[] {
    return this.contents.hospitals;
  }

  hospital(siteOdsCode: string): Hospital | undefined {
    return this.hospitalsBySite.get(siteOdsCode);
  }

  ward(code: string): { hospital: Hospital; ward: Ward } | undefined {
    return this.wardsByCode.get(code);
  }

  get currentDelayReasonVersion(): string {
    return this.contents.delayReasons.current;
  }

  /** The reason as worded in `version`, so an old event keeps the meaning it was recorded with. */
  delayReason(code: string, version: string = this.currentDelayReasonVersion): DelayReason | undefined {
    return this.reasonVersions.get(version)?.get(code);
  }

  /** The reasons a user may choose today. */
  currentDelayReasons(): readonly DelayReason[] {
    return this.delayReasonVersion(this.currentDelayReasonVersion).reasons;
  }

  delayReasonVersion(version: string): DelayReasonVersion {
    const found = this.contents.delayReasons.versions.find((v) => v.version === version);
    if (!found) throw new UnknownReferenceCode(`Unknown delay-reason list version '${version}'`);
    return found;
  }

  /** The list in force on a London date, for events recorded before the version was stamped on them. */
  delayReasonVersionInForceOn(date: LondonDate): string | undefined {
    return this.contents.delayReasons.versions.filter((v) => londonDaysBetween(v.effectiveFrom, date) >= 0).at(-1)?.version;
  }

  destination(code: string): DischargeDestination | undefined {
    return this.destinationsByCode.get(code);
  }

  /** Reads imported history: a retired code becomes the current code it maps to. */
  currentDestinationFor(code: string): DischargeDestination | undefined {
    const destination = this.destinationsByCode.get(code);
    return destination?.retired && destination.mapsTo ? this.destinationsByCode.get(destination.mapsTo) : destination;
  }

  /** Codes a person may pick; never the retired ones. */
  offeredDestinations(): readonly DischargeDestination[] {
    return this.contents.dischargeDestinations.codes.filter((d) => d.offered && !d.retired);
  }

  /** Destinations a discharge on `pathway` may record (see the README for the choices). */
  destinationsAllowedForPathway(pathway: Pathway): readonly DischargeDestination[] {
    const codes = this.contents.dischargeDestinations.byPathway[`${pathway}`];
    if (!codes) throw new UnknownReferenceCode(`Unknown pathway '${String(pathway)}'`);
    return codes.map((code) => this.destinationsByCode.get(code) as DischargeDestination);
  }

  get pathwayTargetSets(): readonly PathwayTargetSet[] {
    return this.contents.pathwayTargetSets;
  }

  targetSet(id: string): PathwayTargetSet | undefined {
    return this.contents.pathwayTargetSets.find((set) => set.id === id);
  }

  serviceLevel(id: string): ServiceLevel | undefined {
    return this.contents.serviceLevels.find((level) => level.id === id);
  }

  /** Whether `to` met the service level counted from `from`. Calendar-day levels compare London dates. */
  serviceLevelMet(id: string, from: Instant, to: Instant): boolean {
    const level = this.serviceLevel(id);
    if (!level) throw new UnknownReferenceCode(`Unknown service level '${id}'`);
    const { amount, unit } = level.within;
    if (unit === 'london-calendar-days') return londonDaysBetween(londonDate(from), londonDate(to)) <= amount;
    const elapsedMs = parseInstant(to).getTime() - parseInstant(from).getTime();
    return elapsedMs <= amount * (unit === 'minutes' ? 60_000 : 3_600_000);
  }

  ageBandFor(ageInYears: number): AgeBand | undefined {
    return this.contents.ageBands.find(
      (band) => ageInYears >= band.minAge && (band.maxAge === null || ageInYears <= band.maxAge),
    );
  }

  /** Leader views hide small non-zero counts (DESIGN §4). */
  isSuppressed(count: number): boolean {
    return count > 0 && count < this.contents.leaderViews.smallCountSuppressionThreshold;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
