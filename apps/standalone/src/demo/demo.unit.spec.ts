import { ageBandOn, isValidNhsNumber } from '@app/identity';
import { FictionalPeople, modulus11CheckDigit } from './identities';
import { parseDemoArgs, DemoUsageError } from './options';
import { Prng } from './prng';

describe('demo identities', () => {
  it('mints NHS numbers that pass Modulus 11, all from the 999 test range, never twice in a run', () => {
    const people = new FictionalPeople(new Prng(7));
    const numbers = Array.from({ length: 2000 }, () => people.nhsNumber());
    for (const n of numbers) {
      expect(n).toMatch(/^999\d{7}$/);
      expect(isValidNhsNumber(n)).toBe(true);
    }
    expect(new Set(numbers).size).toBe(numbers.length);
    // 943 476 591 9 is the NHS's published example of a valid number.
    expect(modulus11CheckDigit('943476591')).toBe(9);
  });

  it('draws the same people from the same seed, in the age band asked for', () => {
    const a = new FictionalPeople(new Prng(1));
    const b = new FictionalPeople(new Prng(1));
    for (const band of ['18-64', '65-74', '75-84', '85+'] as const) {
      const person = a.person('SEDGEMOOR', '2026-11-25', band);
      expect(b.person('SEDGEMOOR', '2026-11-25', band)).toEqual(person);
      expect(ageBandOn(person.dateOfBirth, '2026-11-25')).toBe(band);
      expect(person.postcode).toMatch(/^TA\d \d[A-Z]{2}$/);
    }
  });
});

describe('npm run demo options', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  it('defaults: seed 2026, a simulated minute a second, three days of history from London midnight', () => {
    expect(parseDemoArgs([], now)).toMatchObject({ seed: 2026, speed: 1, days: 3, referralsPerDay: 60 });
    expect(parseDemoArgs([], now).start.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(parseDemoArgs(['--seed', '7', '--speed=60', '--days', '0'], now)).toMatchObject({ seed: 7, speed: 60, days: 0 });
  });

  it('refuses unknown options and bad values with the usage', () => {
    expect(() => parseDemoArgs(['--sped', '2'], now)).toThrow(DemoUsageError);
    expect(() => parseDemoArgs(['--days', '-1'], now)).toThrow('--days must be');
    expect(() => parseDemoArgs(['--seed'], now)).toThrow('needs a value');
  });
});
