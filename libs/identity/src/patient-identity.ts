import { Transform } from 'class-transformer';
import {
  IsOptional,
  IsString,
  Length,
  Matches,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { londonDateOf, parseCalendarDate } from './age-band';
import { IsNhsNumber, normaliseNhsNumber } from './nhs-number';
import type { PatientVault } from './patient-vault';
import type { SealedValue } from './sealed-value';

/** Who the person is. Only ever stored sealed under their key; never logged. */
export interface PatientIdentity {
  /** Absent while the person is untraced. */
  nhsNumber?: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  postcode: string;
}

// Full UK format (incl. GIR 0AA), after normalising to upper case with one space before the inward code.
const UK_POSTCODE =
  /^(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRV-Y]) [0-9][ABD-HJLNP-UW-Z]{2})$/;
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
const EARLIEST_DATE_OF_BIRTH = '1900-01-01';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** "ta1 2ab", "TA12AB" → "TA1 2AB". */
export function normalisePostcode(value: string): string {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

/** A real calendar date from 1900-01-01 up to today in Europe/London. */
export function IsDateOfBirth(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDateOfBirth',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property }: ValidationArguments) =>
          `${property} must be a date as YYYY-MM-DD, not before ${EARLIEST_DATE_OF_BIRTH} and not in the future`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          parseCalendarDate(value) !== undefined &&
          value >= EARLIEST_DATE_OF_BIRTH &&
          value <= londonDateOf(new Date()),
      },
    });
}

/** Validates and normalises a person's identity at the HTTP edge (whitelisting pipe, transform on). */
export class PatientIdentityDto implements PatientIdentity {
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? normaliseNhsNumber(value) : value))
  @IsNhsNumber()
  nhsNumber?: string;

  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'givenName must not contain control characters' })
  givenName!: string;

  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'familyName must not contain control characters' })
  familyName!: string;

  @IsDateOfBirth()
  dateOfBirth!: string;

  @Transform(({ value }) => (typeof value === 'string' ? normalisePostcode(value) : value))
  @IsString()
  @Matches(UK_POSTCODE, { message: 'postcode must be a UK postcode, e.g. TA1 2AB' })
  postcode!: string;
}

/** Only the identity's own fields are sealed, so a DTO instance or extra properties never leak in. */
export function sealIdentity(vault: PatientVault, patientId: string, identity: PatientIdentity): Promise<SealedValue> {
  const { nhsNumber, givenName, familyName, dateOfBirth, postcode } = identity;
  return vault.encrypt(patientId, { nhsNumber, givenName, familyName, dateOfBirth, postcode });
}

export function openIdentity(vault: PatientVault, patientId: string, sealed: string): Promise<PatientIdentity> {
  return vault.decrypt<PatientIdentity>(patientId, sealed);
}
