import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { InvalidNhsNumber, IsNhsNumber, isValidNhsNumber, normaliseNhsNumber, parseNhsNumber } from './nhs-number';

class Referral {
  @IsNhsNumber()
  nhsNumber!: string;
}

const errorsFor = (nhsNumber: unknown) => validateSync(plainToInstance(Referral, { nhsNumber }));

describe('NHS number', () => {
  it.each(['9434765919', '4010232137', '1000000001', '2000000010'])(
    'given %s with a correct Modulus 11 check digit, then it is valid',
    (value) => expect(isValidNhsNumber(value)).toBe(true),
  );

  it('given a check digit that computes to 11, then 0 is the valid check digit', () => {
    expect(isValidNhsNumber('2000000010')).toBe(true);
    expect(isValidNhsNumber('2000000011')).toBe(false);
  });

  it('given a valid number with one digit changed, then the check digit fails', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('9434765929')).toBe(false);
    expect(isValidNhsNumber('4010232138')).toBe(false);
  });

  it('given a first nine digits whose remainder gives check 10, then no check digit makes it valid', () => {
    const candidates = Array.from({ length: 10 }, (_, digit) => `123456789${digit}`);
    expect(candidates.filter(isValidNhsNumber)).toEqual([]);
  });

  it.each(['943476591', '94347659190', '943476591X', 'abcdefghij', '', '943 476 5919', ' 9434765919'])(
    'given %p, which is not exactly ten digits, then it is invalid',
    (value) => expect(isValidNhsNumber(value)).toBe(false),
  );

  it('given a non-string, then it is invalid', () => {
    expect(isValidNhsNumber(9434765919)).toBe(false);
    expect(isValidNhsNumber(undefined)).toBe(false);
  });

  it('given a number typed with spaces or dashes, then normalising gives the ten digits', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
    expect(parseNhsNumber(' 401 023 2137 ')).toBe('4010232137');
  });

  it('given an invalid number, then parsing throws without repeating the number', () => {
    expect(() => parseNhsNumber('9434765918')).toThrow(InvalidNhsNumber);
    try {
      parseNhsNumber('9434765918');
    } catch (error) {
      expect((error as Error).message).not.toContain('9434765918');
    }
  });

  describe('@IsNhsNumber()', () => {
    it('given a valid number, then there are no errors', () => {
      expect(errorsFor('9434765919')).toEqual([]);
    });

    it('given ten digits with a wrong check digit, then the message says the check digit failed', () => {
      const [error] = errorsFor('9434765918');
      expect(error.constraints).toEqual({
        isNhsNumber: 'nhsNumber must be a valid 10-digit NHS number (check digit failed)',
      });
    });

    it('given the wrong length, then the message asks for ten digits and never echoes the value', () => {
      const [error] = errorsFor('94347659');
      expect(error.constraints?.isNhsNumber).toMatch(/^nhsNumber must be a valid 10-digit NHS number/);
      expect(error.constraints?.isNhsNumber).not.toContain('94347659');
    });
  });
});
