/**
 * Bed-base and home-care code lists, mirrored from libs/bed-base/src/codes.ts and libs/home-care/src (the
 * server validates them again). Labels are the UI's wording.
 */
type Options = readonly (readonly [string, string])[];

export const BED_STATUS_LABELS: Record<string, { text: string; tone: 'green' | 'blue' | 'yellow' | 'red' | 'grey' | 'purple' }> =
  {
    open: { text: 'Available', tone: 'green' },
    reserved: { text: 'Reserved', tone: 'yellow' },
    occupied: { text: 'Occupied', tone: 'blue' },
    closed: { text: 'Closed', tone: 'red' },
    'stood-down': { text: 'Stood down', tone: 'grey' },
    'site-closed': { text: 'Site closed', tone: 'red' },
  };

export const LEAVING_OUTCOMES: Options = [
  ['home', 'Home'],
  ['home-with-care', 'Home with care'],
  ['long-term-care', 'Long-term care'],
  ['hospital', 'Back to hospital'],
  ['died', 'Died'],
];

export const BED_CATEGORY_LABELS: Record<string, string> = {
  rehab: 'Rehab',
  reablement: 'Reablement',
  'end-of-life': 'End of life',
  opmh: 'OPMH',
  'step-down': 'Step-down',
  interim: 'Interim',
  nursing: 'Nursing',
  residential: 'Residential',
};

export const FUNDING_LABELS: Record<string, string> = { block: 'Contracted', spot: 'Spot', 'nhs-community': 'NHS community' };

export const CAPABILITY_LABELS: Record<string, string> = {
  bariatric: 'bariatric',
  dementia: 'dementia',
  hoist: 'hoist',
  'side-room': 'side room',
  oxygen: 'oxygen',
};

export const DECLINE_REASONS: Options = [
  ['no-carers-available', 'No carers available'],
  ['outside-travel-area', 'Outside our travel area'],
  ['needs-exceed-skills', 'Needs exceed our skills'],
  ['double-up-not-available', 'Double-up not available'],
  ['start-date-not-possible', 'Start date not possible'],
];

export const OVERRIDE_REASONS: Options = [
  ['urgent-discharge', 'Urgent discharge'],
  ['provider-confirmed-by-phone', 'Provider confirmed by phone'],
  ['escalation-agreed', 'Escalation agreed'],
  ['end-of-life-fast-track', 'End-of-life fast track'],
];

export const REVIEW_PROGRESS: Options = [
  ['goals-met', 'Goals met'],
  ['goals-partly-met', 'Goals partly met'],
  ['goals-not-met', 'Goals not met'],
];

export const PACKAGE_OUTCOMES: Options = [
  ['no-ongoing-needs', 'No ongoing needs'],
  ['reduced-package', 'Reduced package'],
  ['long-term-package', 'Long-term package'],
  ['bedded-care', 'Bedded care'],
  ['hospital', 'Hospital'],
  ['died', 'Died'],
];

export const PACKAGE_STATUS: Record<string, { text: string; tone: 'green' | 'blue' | 'yellow' | 'red' | 'grey' }> = {
  requested: { text: 'Awaiting placement', tone: 'yellow' },
  accepted: { text: 'Placed, not started', tone: 'blue' },
  active: { text: 'Care started', tone: 'green' },
  ended: { text: 'Ended', tone: 'grey' },
  cancelled: { text: 'Cancelled', tone: 'grey' },
};

/** A London date `days` after `date` (YYYY-MM-DD), by the calendar. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** "Wed 25" for a grid column. */
export function shortDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

export const hours = (n: number) => `${Math.round(n * 100) / 100}`;
