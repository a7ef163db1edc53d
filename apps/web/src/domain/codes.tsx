/**
 * Code lists the API accepts, mirrored from libs/discharge/src/discharge-case.ts (the server validates them
 * again; a list changed there shows up here as a 400 naming the field). Labels are the UI's wording.
 */
import type { Pathway } from '../api/types';

type Options = readonly (readonly [string, string])[];

export const PATHWAY_LABELS: Record<Pathway, string> = {
  0: 'P0 · simple discharge home (ward-led)',
  1: 'P1 · home with short-term support (D2A)',
  2: 'P2 · community bedded recovery',
  3: 'P3 · care home placement',
};
export const PATHWAY_SHORT: Record<Pathway, string> = { 0: 'P0', 1: 'P1', 2: 'P2', 3: 'P3' };

export const USUAL_RESIDENCES: Options = [
  ['own-home', 'Own home'],
  ['care-home', 'Care home'],
  ['extra-care', 'Extra-care housing'],
];
export const MOBILITY_LEVELS: Options = [
  ['independent', 'Independent'],
  ['walking-aid', 'Walking aid'],
  ['assistance-of-one', 'Assistance of one'],
  ['assistance-of-two', 'Assistance of two'],
  ['hoist', 'Hoist'],
  ['bed-bound', 'Bed-bound'],
];
export const COGNITION_LEVELS: Options = [
  ['no-concerns', 'No concerns'],
  ['mild-impairment', 'Mild impairment'],
  ['moderate-impairment', 'Moderate impairment'],
  ['severe-impairment', 'Severe impairment'],
  ['delirium', 'Delirium'],
];
export const EQUIPMENT: Options = [
  ['hospital-bed', 'Hospital bed'],
  ['pressure-relieving-mattress', 'Pressure-relieving mattress'],
  ['hoist', 'Hoist'],
  ['commode', 'Commode'],
  ['walking-frame', 'Walking frame'],
  ['wheelchair', 'Wheelchair'],
  ['oxygen', 'Oxygen'],
  ['bariatric-equipment', 'Bariatric equipment'],
];
export const SEX_FOR_BAY_ALLOCATION: Options = [
  ['no-requirement', 'No requirement'],
  ['female', 'Female bay'],
  ['male', 'Male bay'],
];
export const RETURN_REASONS: Options = [
  ['incomplete-information', 'Incomplete information'],
  ['ward-led-simple-discharge', 'Ward-led simple discharge (P0)'],
  ['outside-hub-area', 'Outside the hub’s area'],
  ['duplicate-referral', 'Duplicate referral'],
  ['patient-declined', 'Patient declined'],
  ['wrong-service', 'Wrong service'],
];
export const PATHWAY_REASONS: Options = [
  ['mdt-assessment', 'MDT assessment'],
  ['trusted-assessment', 'Trusted assessment'],
  ['simple-discharge', 'Simple discharge'],
  ['needs-changed', 'Needs changed'],
  ['patient-or-family-choice', 'Patient or family choice'],
  ['capacity', 'Capacity'],
  ['clinical-change', 'Clinical change'],
];
export const P2_BED_CATEGORIES: Options = [
  ['rehab', 'Rehabilitation'],
  ['reablement', 'Reablement'],
  ['end-of-life', 'End of life'],
  ['opmh', 'Older people’s mental health'],
  ['step-down', 'Step-down'],
  ['interim', 'Interim'],
];
export const P3_BED_CATEGORIES: Options = [
  ['nursing', 'Nursing home'],
  ['residential', 'Residential home'],
];
export const WITHDRAWAL_REASONS: Options = [
  ['died', 'Died'],
  ['readmitted-or-transferred-out', 'Readmitted or transferred out'],
  ['no-longer-needed', 'No longer needed'],
  ['entered-in-error', 'Entered in error'],
];
export const FOLLOW_UP_RESULTS: Options = [
  ['at-home', 'At home (including extra-care housing)'],
  ['in-hospital', 'In hospital'],
  ['in-care-home', 'In a care home'],
  ['died', 'Died'],
  ['not-contactable', 'Not contactable'],
];

export const labelOf = (options: Options, code: string | null | undefined) =>
  options.find(([value]) => value === code)?.[1] ?? code ?? '—';

export const STATUS_LABELS: Record<string, string> = {
  referred: 'Awaiting hub',
  accepted: 'Accepted',
  returned: 'Returned to ward',
  withdrawn: 'Withdrawn',
  discharged: 'Discharged',
};

export const EVENT_LABELS: Record<string, string> = {
  ReferralSubmitted: 'Referral submitted',
  ReferralAccepted: 'Referral accepted',
  ReferralReturned: 'Referral returned',
  CriteriaToResideNotMet: 'No longer meets criteria to reside',
  CriteriaToResideMetAgain: 'Meets criteria to reside again',
  PathwayAssigned: 'Pathway assigned',
  DelayOpened: 'Delay opened',
  DelayClosed: 'Delay closed',
  PrimaryDelayChanged: 'Primary delay changed',
  PlacementArranged: 'Placement arranged',
  PatientDischarged: 'Discharged',
  CaseWithdrawn: 'Withdrawn',
  NinetyOneDayFollowUpDue: '91-day follow-up due',
  NinetyOneDayFollowUpRecorded: '91-day follow-up recorded',
  IdentityErased: 'Identity erased',
};
