import type { Pathway } from '@app/reference-data';
import type { LondonDate } from '@app/time';

export type ActivityKind = 'discharges' | 'nctr';
export type FeedSource = 'csv' | 'fhir';

/** Discharges on one London date from one trust, counted by site, pathway, destination, age band and area. */
export interface DischargeCountRow {
  site: string;
  pathway: Pathway;
  /** A current NHS Data Dictionary discharge destination code. */
  destination: string;
  /** The retired code the feed sent (54, 65 or 85), kept when it was mapped to `destination`. */
  originalDestination?: string;
  ageBand: string;
  area: string;
  count: number;
}

/** People not meeting the criteria to reside at a snapshot, counted by site, pathway, DRD and primary delay reason. */
export interface NctrCountRow {
  site: string;
  pathway: Pathway;
  drd: LondonDate;
  primaryDelayCode: string;
  /** The delay-reason list the code belongs to, so the code keeps its meaning when the national list changes. */
  delayListVersion: string;
  ageBand: string;
  area: string;
  count: number;
}

export interface DatedDischargeRow extends DischargeCountRow {
  trust: string;
  date: LondonDate;
}

export interface DatedNctrRow extends NctrCountRow {
  trust: string;
  snapshotDate: LondonDate;
}

/** A feed read and checked against the reference data: aggregate rows only, never a person. */
export type ParsedActivityFeed =
  | { kind: 'discharges'; source: FeedSource; rows: DatedDischargeRow[] }
  | { kind: 'nctr'; source: FeedSource; rows: DatedNctrRow[] };

/**
 * One thing wrong with a file. `row` is the CSV record (header = 1) and `line` where it starts; `path` is a JSON
 * path for FHIR. Messages never repeat the cell's value, so a misplaced identifier is not echoed into logs.
 */
export interface FeedProblem {
  row?: number;
  line?: number;
  column?: string;
  path?: string;
  rule: string;
  message: string;
}

export const MAX_PROBLEMS = 100;
/** Larger than any site's daily count; stops a 10-digit NHS number pasted into a count column passing as a count. */
export const MAX_COUNT = 100_000;

export class InvalidActivityFeed extends Error {
  override readonly name = 'InvalidActivityFeed';
  constructor(
    readonly problems: readonly FeedProblem[],
    /** More problems were found than are listed. */
    readonly truncated: boolean,
  ) {
    super(
      `The activity feed was not imported: ${problems.length}${truncated ? '+' : ''} problem(s), first: ${problems[0]?.message ?? 'none'}`,
    );
  }
}

/** Collects problems up to MAX_PROBLEMS and remembers whether any were dropped. */
export class ProblemList {
  readonly problems: FeedProblem[] = [];
  truncated = false;

  add(problem: FeedProblem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
    else this.truncated = true;
  }

  get full(): boolean {
    return this.truncated;
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new InvalidActivityFeed(this.problems, this.truncated);
  }
}
