/**
 * The KPIs of DESIGN §5 (discharge, bed base, D2A, parked messages), defined once. The README's "KPI definitions" table is rendered from
 * this list (`renderKpiTable`), and a unit test fails when the two differ. The oracle
 * (`kpis.oracle.int.spec.ts`) recomputes every KPI below from the raw `events` table.
 */
export type KpiId =
  | 'discharges-by-pathway'
  | 'home-first'
  | 'nctr-now'
  | 'delayed-bed-days'
  | 'drd-to-discharge'
  | 'referral-accepted'
  | 'triaged-or-assigned'
  | 'ascof-2b1'
  | 'bed-base-counts'
  | 'bed-occupancy'
  | 'long-stays'
  | 'bed-based-ic-start'
  | 'd2a-capacity'
  | 'd2a-workforce'
  | 'd2a-waiting'
  | 'd2a-request-to-start'
  | 'd2a-outcomes'
  | 'parked-messages';

export interface KpiDefinition {
  id: KpiId;
  title: string;
  numerator: string;
  denominator: string;
  /** Which date of which fact puts it in a window. */
  dateBasis: string;
  timeZone: 'Europe/London';
  /** When in the London day the figure is taken. */
  snapshot: string;
  breakdowns: string;
  notes: string;
  source: string;
}

const LONDON = 'Europe/London' as const;
const FILTERS = 'filters: area, hospital (trust ODS), age band';

/** The windows every "by window" KPI is reported for, ending with (and including) `today`. */
export const KPI_WINDOWS = ['today', 'last7Days', 'monthToDate', 'rolling28Days'] as const;
export type KpiWindow = (typeof KPI_WINDOWS)[number];

/** Days waiting since the DRD, for "NCTR now" and "DRD to discharge": [min, max] inclusive, max null = open. */
export const DAYS_WAITING_BUCKETS = [
  { label: '0', min: 0, max: 0 },
  { label: '1', min: 1, max: 1 },
  { label: '2-3', min: 2, max: 3 },
  { label: '4-6', min: 4, max: 6 },
  { label: '7-13', min: 7, max: 13 },
  { label: '14-20', min: 14, max: 20 },
  { label: '21+', min: 21, max: null },
] as const;
export type DaysWaitingBucket = (typeof DAYS_WAITING_BUCKETS)[number]['label'];

/** A wait can only be negative in bad imported data (a discharge dated before its DRD): count it as 0, never fail. */
export const bucketOf = (days: number): DaysWaitingBucket =>
  DAYS_WAITING_BUCKETS.find((b) => Math.max(0, days) >= b.min && (b.max === null || Math.max(0, days) <= b.max))!.label;

/** ASCOF 2B(1)'s national cohort: discharges 1 October – 31 December. Month-day pairs; the year follows `today`. */
export const DEFAULT_ASCOF_COHORT = { fromMonthDay: '10-01', toMonthDay: '12-31' } as const;

/** Days from a home-care package request to its start that the source reports (Somerset D2A: 2 days). */
export const D2A_REQUEST_TO_START_TARGET_DAYS = 2;

const SNAPSHOT_AT =
  'The views as known at `asOf`; without asOf, now for today and the end of the London day for an earlier `date`';
const WHOLE_SYSTEM = 'the area / hospital / age-band filters do not apply to this section';

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  {
    id: 'discharges-by-pathway',
    title: 'Discharges by pathway (count and share)',
    numerator: 'Discharges on pathway P (0, 1, 2 or 3) in the window',
    denominator:
      'All discharges in the window: the acute activity feed when every trust in scope reported every day of the window (latest report per trust and day wins), else the PatientDischarged events of cases referred to the hub, labelled "of referred discharges"',
    dateBasis: 'Discharge date: the feed row date, or the London date of PatientDischarged.dischargedAt',
    timeZone: LONDON,
    snapshot: 'Windows today, last 7 days, month to date and rolling 28 days, each ending with and including `date`',
    breakdowns: `pathway; ${FILTERS}; each configured target set (a set limited to age bands uses only those bands)`,
    notes:
      'Share = count / total, percent to 1 dp, null when the total is 0. At-least / at-most targets are judged on the exact fraction; "about" targets report the difference in points only',
    source: 'DESIGN §5; target sets from reference data (pathwayTargetSets), each with its own source',
  },
  {
    id: 'home-first',
    title: 'Home-first measures (P0+P1, P2+P3)',
    numerator: 'Discharges on P0 + P1 (home first), or on P2 + P3 (bedded pathways)',
    denominator: 'The same total as "discharges by pathway", on the same basis',
    dateBasis: 'As "discharges by pathway"',
    timeZone: LONDON,
    snapshot: 'As "discharges by pathway"',
    breakdowns: FILTERS,
    notes: 'Computed from the pathway counts, never from a flag. Compared with each configured home-first measure',
    source: 'DESIGN §2; reference data homeFirstMeasures (Somerset ASC self-assessment 2024)',
  },
  {
    id: 'nctr-now',
    title: 'NCTR now (people in hospital past their DRD)',
    numerator:
      'Referred cases in an NCTR period at the end of `date`: DRD ≤ date and the period not yet ended (CTR met again, discharged, withdrawn or returned on a later day)',
    denominator: 'None (a count). The acute feed NCTR list for `date`, when reported, is shown beside it',
    dateBasis:
      "The NCTR period's DRD (`from`) and the London date it ended; the period ends on the day CTR was met again, or the discharge / withdrawal / return date",
    timeZone: LONDON,
    snapshot: 'End of the London day `date` (as the view knows it; use asOf for what was known at an instant)',
    breakdowns: `pathway in force at the end of date (or unassigned); primary delay reason at the end of date (only the primary counts; "none recorded" when no delay is open); days waiting = date − DRD in buckets 0, 1, 2–3, 4–6, 7–13, 14–20, 21+; ${FILTERS}`,
    notes: 'A case discharged, withdrawn or returned on `date` is not in hospital at its end and does not count',
    source: 'DESIGN §2 (DRD, delay), §5',
  },
  {
    id: 'delayed-bed-days',
    title: 'Delayed bed days this month, and their cost',
    numerator:
      'For every NCTR period, each London calendar day from its DRD up to but not including the day it ended (an open period counts up to and including `date`), within the 1st of the month … `date`',
    denominator: 'None (a sum). Cost = bed days × delayedBedDayCost.amountGbp',
    dateBasis: 'London calendar days; equivalently the sum over days d of the month to date of "NCTR at the end of d"',
    timeZone: LONDON,
    snapshot: 'Month to date, through the end of `date`',
    breakdowns: FILTERS,
    notes:
      'A discharge on the DRD adds 0 days, one the next day adds 1, so a finished period adds exactly its delayDays. A DRD reset ends one period and starts another: only the NCTR days count',
    source: 'DESIGN §5; rate from reference data delayedBedDayCost (illustrative)',
  },
  {
    id: 'drd-to-discharge',
    title: 'DRD to discharge (mean and distribution)',
    numerator: 'Sum of delay days over discharges in the window (delay = London days from the final DRD to the discharge date)',
    denominator: 'Referred discharges in the window',
    dateBasis: 'London date of PatientDischarged.dischargedAt',
    timeZone: LONDON,
    snapshot: 'Windows today, last 7 days, month to date and rolling 28 days ending with `date`',
    breakdowns: `pathway at discharge; distribution in the days-waiting buckets; ${FILTERS}`,
    notes: 'A blank DRD (e.g. a same-day discharge without an NCTR period) counts as 0. Mean to 2 dp, null when no discharges',
    source: 'DESIGN §2 (DRD), §5',
  },
  {
    id: 'referral-accepted',
    title: 'Referral accepted within the service level (15 minutes)',
    numerator: 'Accepted referrals with acceptedAt − submittedAt ≤ the service level',
    denominator: 'Referrals submitted in the window that the hub has accepted',
    dateBasis: 'London date of ReferralSubmitted.submittedAt',
    timeZone: LONDON,
    snapshot: 'Windows as "discharges by pathway"; responses as known to the view',
    breakdowns: `${FILTERS}; awaiting a response and returned referrals reported beside it`,
    notes: 'Elapsed time, not calendar time; the limit comes from reference data serviceLevels[referral-accepted]',
    source: "Cornwall's planned transfer of care hub KPIs (DESIGN §5), via reference data",
  },
  {
    id: 'triaged-or-assigned',
    title: 'Triaged or assigned within the service level (30 minutes)',
    numerator: 'Referrals whose first PathwayAssigned came ≤ the service level after submission',
    denominator: 'Referrals submitted in the window that have been assigned a pathway',
    dateBasis: 'London date of ReferralSubmitted.submittedAt',
    timeZone: LONDON,
    snapshot: 'Windows as "discharges by pathway"; assignments as known to the view',
    breakdowns: `${FILTERS}; not yet assigned reported beside it`,
    notes: 'Triage has no event of its own yet, so the first pathway assignment is the measure',
    source: "Cornwall's planned transfer of care hub KPIs (DESIGN §5), via reference data serviceLevels[triaged-or-assigned]",
  },
  {
    id: 'ascof-2b1',
    title: 'ASCOF 2B(1): at home 91 days after hospital discharge',
    numerator: 'Cohort members whose day-91 follow-up recorded "at home" (including extra-care housing)',
    denominator:
      'Cohort members with a recorded follow-up: deaths, in hospital, in a care home and not contactable stay in the denominator only. Pending follow-ups (not yet recorded; "overdue" once day 91 ≤ date) are reported separately, not in the rate',
    dateBasis:
      'London date of the hospital discharge; the cohort is people aged 65+ discharged on P1, or P2 rehab/reablement intending to return home',
    timeZone: LONDON,
    snapshot: 'The cohort window: configurable, default 1 Oct – 31 Dec of the latest year whose 1 Oct is on or before `date`',
    breakdowns: FILTERS,
    notes:
      'Day 91 is the 91st London calendar day after the discharge day. Once nothing is pending, the denominator is the whole cohort',
    source: 'ASCOF 2B(1) (NHS Digital / DHSC), DESIGN §2',
  },
  {
    id: 'bed-base-counts',
    title: 'Bed base: commissioned, open, closed, reserved, occupied and available beds',
    numerator:
      'Beds by their one status at the snapshot, first that applies: occupied, reserved, closed, stood down (escalation bed not open), at a site closed to admissions, else available. Commissioned = every bed not decommissioned; open = commissioned − closed − stood down',
    denominator: 'None (counts)',
    dateBasis: 'The bed board (bed-board projection, its summary query) at the snapshot instant',
    timeZone: LONDON,
    snapshot: SNAPSHOT_AT,
    breakdowns: `total; tier (hierarchy of use); site; area (the site's locality); bed category; ${WHOLE_SYSTEM}`,
    notes:
      'Counts of beds, not people: shown to leaders unsuppressed. A free bed at a site closed to admissions is open but not available (siteClosed)',
    source: 'DESIGN §5; bed base from the bed-base context (illustrative Somerset seed)',
  },
  {
    id: 'bed-occupancy',
    title: 'Bed occupancy',
    numerator: 'Occupied beds',
    denominator:
      'Open commissioned beds: commissioned less closed beds and stood-down escalation beds. Beds at a site closed to admissions stay in the denominator (they are staffed and may be occupied); a stood-down escalation bed does not',
    dateBasis: 'As "bed base"',
    timeZone: LONDON,
    snapshot: SNAPSHOT_AT,
    breakdowns: 'As "bed base"',
    notes: 'Percent to 1 dp; null when no bed is open',
    source: 'DESIGN §5',
  },
  {
    id: 'long-stays',
    title: 'Long stays (21+ days) for the weekly long-length-of-stay meeting',
    numerator: 'Occupied beds whose admission was 21 or more London calendar days before the snapshot date',
    denominator: 'None (a count, and for the hub the list: bed, site, case id, admitted at, days)',
    dateBasis: 'London date of PatientAdmitted.admittedAt to the London date of the snapshot instant',
    timeZone: LONDON,
    snapshot: SNAPSHOT_AT,
    breakdowns: `list ordered by days, longest first; ${WHOLE_SYSTEM}`,
    notes: 'A count of people: suppressed for leaders when small, and leaders never get the list',
    source: 'DESIGN §5; bed-board longStays',
  },
  {
    id: 'bed-based-ic-start',
    title: 'Hub responsiveness: bed-based intermediate care starting within 2 days of the request',
    numerator: 'Requests admitted with London date(admittedAt) − London date(openedAt) ≤ the service level (2 calendar days)',
    denominator: 'Bed requests opened in the window that have been admitted',
    dateBasis:
      'London date of BedRequestOpened.openedAt (the request); the start is PatientAdmitted.admittedAt (the discharge instant it follows from)',
    timeZone: LONDON,
    snapshot: `Windows as "discharges by pathway"; ${SNAPSHOT_AT.toLowerCase()}`,
    breakdowns: `waiting (open, not admitted) and closed without an admission reported beside it; ${WHOLE_SYSTEM}`,
    notes:
      'Calendar days, from reference data serviceLevels[bed-based-intermediate-care-start]. Requests from community referrals count too (origin on the request)',
    source: 'NICE QS173 via reference data; DESIGN §5',
  },
  {
    id: 'd2a-capacity',
    title: 'D2A home care: declared capacity against held, committed and free hours',
    numerator:
      'Per provider × locality × date: declared hours (the latest capacity return in force), held and committed hours (holds in that state), free = declared − held − committed',
    denominator: 'None (sums of hours a week)',
    dateBasis: 'The ledger date (the package start date the hours are for), today and the next 14 days',
    timeZone: LONDON,
    snapshot: SNAPSHOT_AT,
    breakdowns: `by provider (its localities summed), by area (providers summed), and the system total, per date; ${WHOLE_SYSTEM}`,
    notes:
      'From the home-care-view ledger grid. Free may be negative after a hub override or a return corrected downwards. A date with no return counts 0 declared',
    source: 'DESIGN §5; capacity returns from providers (illustrative)',
  },
  {
    id: 'd2a-workforce',
    title: 'D2A workforce absence (>10% flag) and the system-wide pooled figure',
    numerator:
      'Care workers absent, summed over the returns in force for `date` (per provider across its localities; system-wide across all)',
    denominator: 'Care workers rostered in the same returns',
    dateBasis: 'Capacity returns for the ledger date `date`',
    timeZone: LONDON,
    snapshot: SNAPSHOT_AT,
    breakdowns: 'per provider, and system-wide pooled; the providers over 10%',
    notes:
      'Pooled, never an average of percentages. At risk when absent × 100 > rostered × 10 (exactly 10% is not flagged). Percent to 1 dp',
    source: 'Somerset winter plan (more than 10% of the care workforce absent puts home first at risk)',
  },
  {
    id: 'd2a-waiting',
    title: 'People waiting for a home-care package',
    numerator: 'Packages requested and not yet started or cancelled (awaiting placement, or placed and not yet started)',
    denominator: 'None (a count of people)',
    dateBasis: 'Days waiting = London date of the snapshot − London date of PackageRequested.requestedAt',
    timeZone: LONDON,
    snapshot: SNAPSHOT_AT,
    breakdowns: `area; awaiting placement / placed; days waiting in the buckets 0, 1, 2–3, 4–6, 7–13, 14–20, 21+; ${WHOLE_SYSTEM}`,
    notes: 'From the home-care-view waiting list. Leaders get counts with small counts suppressed, never the list',
    source: 'DESIGN §5',
  },
  {
    id: 'd2a-request-to-start',
    title: 'D2A: days from referral (package request) to start',
    numerator:
      'Sum of London days from PackageRequested.requestedAt to PackageStarted.startedOn; and packages started within 2 days',
    denominator: 'Packages started in the window',
    dateBasis: 'PackageStarted.startedOn (a London date)',
    timeZone: LONDON,
    snapshot: `Windows as "discharges by pathway"; ${SNAPSHOT_AT.toLowerCase()}`,
    breakdowns: `distribution in the days-waiting buckets; ${WHOLE_SYSTEM}`,
    notes: 'Mean to 2 dp, null when none started. The source reports 2 days: within-target is days ≤ 2',
    source: 'DESIGN §5 (the source’s figure is 2 days)',
  },
  {
    id: 'd2a-outcomes',
    title: 'D2A package outcomes',
    numerator: 'Packages ended in the window, by PackageEnded.outcome; cancelled requests by reason beside them',
    denominator: 'Packages ended in the window (shares may be taken over it)',
    dateBasis: 'PackageEnded.endedOn; London date of PackageRequestCancelled.cancelledAt',
    timeZone: LONDON,
    snapshot: `Windows as "discharges by pathway"; ${SNAPSHOT_AT.toLowerCase()}`,
    breakdowns: `outcome (no ongoing needs, reduced, long-term package, bedded care, hospital, died); cancellation reason; ${WHOLE_SYSTEM}`,
    notes: 'Counts of people: suppressed for leaders when small',
    source: 'DESIGN §5',
  },
  {
    id: 'parked-messages',
    title: 'Parked messages (a stuck process manager made visible)',
    numerator: 'parkedMessage streams whose latest event leaves them parked (MessageParked, or a retry refused again)',
    denominator: 'None (a count and, for the hub, the list)',
    dateBasis: 'MessageParked.parkedAt; resolved by ParkedMessageRetried (outcome resolved) or ParkedMessageDismissed',
    timeZone: LONDON,
    snapshot: SNAPSHOT_AT,
    breakdowns: 'process manager; refusal code; resolved and dismissed totals beside it',
    notes: 'Operational, not people: leaders get the counts, not the list (which names streams)',
    source: 'DESIGN §5; libs/messaging process-manager parking lot',
  },
];

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's KPI table, generated from KPI_DEFINITIONS. */
export function renderKpiTable(definitions: readonly KpiDefinition[] = KPI_DEFINITIONS): string {
  const header = ['KPI', 'Numerator', 'Denominator', 'Date basis (Europe/London)', 'Snapshot', 'Breakdowns', 'Notes', 'Source'];
  const rows = definitions.map((d) => [
    `**${d.title}** (\`${d.id}\`)`,
    d.numerator,
    d.denominator,
    d.dateBasis,
    d.snapshot,
    d.breakdowns,
    d.notes,
    d.source,
  ]);
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

export const README_KPI_TABLE_START =
  '<!-- kpi-definitions:start (generated by renderKpiTable in libs/hub/src/kpis/definitions.ts) -->';
export const README_KPI_TABLE_END = '<!-- kpi-definitions:end -->';
