import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

const TEN_DIGITS = /^\d{10}$/;

/** People type NHS numbers as "943 476 5919" or "943-476-5919"; the stored form is ten digits. */
export function normaliseNhsNumber(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/** Modulus 11 over the first nine digits, weights 10..2; a remainder giving check 10 is never issued. */
export function isValidNhsNumber(value: unknown): value is string {
  if (typeof value !== 'string' || !TEN_DIGITS.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(value[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(value[9]);
}

export class InvalidNhsNumber extends Error {
  override readonly name = 'InvalidNhsNumber';
  // The value itself is personal data, so it never goes into the message.
  constructor() {
    super('Not a valid 10-digit NHS number');
  }
}

/** Normalises and checks, throwing a message that does not repeat the number. */
export function parseNhsNumber(value: string): string {
  const nhsNumber = typeof value === 'string' ? normaliseNhsNumber(value) : value;
  if (!isValidNhsNumber(nhsNumber)) throw new InvalidNhsNumber();
  return nhsNumber;
}

/** Ten digits passing the Modulus 11 check. Normalise first (see PatientIdentityDto); the message never echoes the value. */
export function IsNhsNumber(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNhsNumber',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property, value }: ValidationArguments) =>
          typeof value === 'string' && TEN_DIGITS.test(value)
            ? `${property} must be a valid 10-digit NHS number (check digit failed)`
            : `${property} must be a valid 10-digit NHS number (10 digits; spaces allowed)`,
        ...options,
      },
      validator: { validate: (value: unknown) => isValidNhsNumber(value) },
    });
}
