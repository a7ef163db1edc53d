import { addLondonDays, type LondonDate } from '@app/time';
import type { Prng } from './prng';

/**
 * Illustrative people for the demo. Every one is invented:
 * - names are drawn from deliberately odd, made-up surnames, so nobody mistakes them for real patients;
 * - NHS numbers pass the Modulus 11 check but come from 999 000 0000 – 999 999 9999, the range NHS England
 *   reserves for testing, which is never issued to a real person;
 * - postcodes use an outward code of the person's area with a random inward code;
 * - dates of birth are drawn for the age band mix of people leaving hospital with support.
 * None of it is ever written to the simulator's log (counts only).
 */
export interface FictionalPerson {
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: LondonDate;
  postcode: string;
}

const GIVEN_NAMES = [
  'Agatha',
  'Barnaby',
  'Clementine',
  'Digby',
  'Euphemia',
  'Fitzroy',
  'Gwendolyn',
  'Horatio',
  'Imelda',
  'Jago',
  'Kezia',
  'Lysander',
  'Marigold',
  'Nye',
  'Ottoline',
  'Peregrine',
  'Quentin',
  'Rosamund',
  'Septimus',
  'Tamsin',
  'Ulric',
  'Verity',
  'Wilfred',
  'Xanthe',
  'Yestin',
  'Zillah',
];
const FAMILY_NAMES = [
  'Fictionby',
  'Madeupton',
  'Testworthy',
  'Quillfeather',
  'Pennywhistle',
  'Thistledown',
  'Bramblewick',
  'Marrowby',
  'Puddleford',
  'Sampleton',
  'Notreal',
  'Mockridge',
  'Demoford',
  'Placeholder',
  'Dummett-Example',
];
/** Outward codes in each locality (real districts; the inward part is random). */
const OUTWARD_CODES: Record<string, readonly string[]> = {
  MENDIP: ['BA4', 'BA5', 'BA11', 'BA16', 'BA3'],
  SEDGEMOOR: ['TA5', 'TA6', 'TA7', 'TA8', 'TA9'],
  SOUTH_SOMERSET: ['BA20', 'BA21', 'BA22', 'TA13', 'TA20'],
  SOMERSET_WEST_AND_TAUNTON: ['TA1', 'TA2', 'TA4', 'TA21', 'TA24'],
};
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export const TEST_NHS_NUMBER_RANGE = { first: '9990000000', last: '9999999999' } as const;

/** Modulus 11 check digit for nine digits (weights 10..2), or undefined when the number can never be issued. */
export function modulus11CheckDigit(nineDigits: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

/** Mints people with NHS numbers unique within one run. */
export class FictionalPeople {
  private readonly used = new Set<string>();

  constructor(private readonly prng: Prng) {}

  nhsNumber(): string {
    for (;;) {
      const nine = `999${String(this.prng.int(0, 999_999)).padStart(6, '0')}`;
      const check = modulus11CheckDigit(nine);
      if (check === undefined) continue;
      const nhsNumber = `${nine}${check}`;
      if (this.used.has(nhsNumber)) continue;
      this.used.add(nhsNumber);
      return nhsNumber;
    }
  }

  person(area: string, today: LondonDate, ageBand: '18-64' | '65-74' | '75-84' | '85+'): FictionalPerson {
    const [minAge, maxAge] = { '18-64': [30, 63], '65-74': [65, 73], '75-84': [75, 83], '85+': [85, 97] }[ageBand];
    const age = this.prng.int(minAge, maxAge);
    // A birthday safely inside the band: at least a day after turning `age`, well before turning age + 1.
    const dateOfBirth = addLondonDays(today, -Math.floor(age * 365.25 + this.prng.int(20, 340)));
    const outward = this.prng.pick(OUTWARD_CODES[area] ?? OUTWARD_CODES.SOMERSET_WEST_AND_TAUNTON);
    const inward = `${this.prng.int(1, 9)}${this.prng.pick([...INWARD_LETTERS])}${this.prng.pick([...INWARD_LETTERS])}`;
    return {
      nhsNumber: this.nhsNumber(),
      givenName: this.prng.pick(GIVEN_NAMES),
      familyName: this.prng.pick(FAMILY_NAMES),
      dateOfBirth,
      postcode: `${outward} ${inward}`,
    };
  }
}
