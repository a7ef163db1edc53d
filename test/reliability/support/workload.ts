import { randomInt, randomUUID } from 'node:crypto';

/** The demo users the workload acts as. */
export const WARD = 'ward.musgrove';
export const HUB = 'hub.coordinator';
export const PROVIDER = 'provider.mendip-care';
export const PROVIDER_ID = 'PRV-MENDIP-CARE';
export const PROVIDER_LOCALITIES = ['MENDIP', 'SEDGEMOOR'];
const AREAS = ['SEDGEMOOR', 'MENDIP', 'SOMERSET_WEST_AND_TAUNTON', 'SOUTH_SOMERSET'];

const LONDON = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });
const dates = new Map<number, { date: string; until: number }>();

/** A London calendar date, `days` from today (cached for a second: load generators call it per request). */
export const londonDate = (days = 0): string => {
  const now = Date.now();
  const cached = dates.get(days);
  if (cached && cached.until > now) return cached.date;
  const date = LONDON.format(new Date(now + days * 86_400_000));
  dates.set(days, { date, until: now + 1000 });
  return date;
};

let nextNine = 999_000_000 + randomInt(0, 400_000);

/** A fresh NHS number from the 999 test range (never issued to a real person), unique within this process. */
export function nhsNumber(): string {
  for (;;) {
    const nine = String(nextNine++);
    const sum = [...nine].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return `${nine}${check === 11 ? 0 : check}`;
  }
}

/** A referral of a fictional person from Musgrove (RH5), proposed for `pathway`. */
export function aReferral(n: number, pathway = 2) {
  return {
    patient: {
      nhsNumber: nhsNumber(),
      givenName: 'Ada',
      familyName: `Test${n}`,
      dateOfBirth: '1940-12-10',
      postcode: 'TA6 4AB',
    },
    hospital: 'RH5',
    ward: 'RH5A8-ELIOT',
    admittedOn: londonDate(-3),
    area: AREAS[n % AREAS.length],
    usualResidence: 'own-home',
    proposedPathway: pathway,
    needs: {
      mobility: 'walking-aid',
      cognition: 'no-concerns',
      careHoursPerWeek: 7,
      equipment: [],
      specialist: {
        bariatric: false,
        dementia: false,
        endOfLife: false,
        opmh: false,
        sideRoom: false,
        sexForBayAllocation: 'no-requirement',
      },
    },
  };
}

/** P2 (a rehab bed: the bed-base process manager opens a bed request) or P1 without home care. */
export const aPathway = (pathway: 1 | 2) =>
  pathway === 2
    ? { pathway: 2, reason: 'mdt-assessment', bedCategory: 'rehab', intentionToReturnHome: true }
    : { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: false };

/** A daily capacity return for the demo provider's `locality`, `daysAhead` (0–14) from today. */
export const aCapacityReturn = (n: number, locality: string, daysAhead: number) => ({
  locality,
  date: londonDate(daysAhead),
  hoursPerWeek: 7 * (3 + (n % 7)),
  newPackages: 2 + (n % 4),
  staffing: { careWorkersRostered: 20 + (n % 10), careWorkersAbsent: n % 3 },
});

export const key = (): string => randomUUID();
