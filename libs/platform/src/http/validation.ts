import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';

export interface FieldError {
  /** Dotted path to the field, e.g. `needs.mobility` or `delays.0.code`. */
  field: string;
  /** The class-validator rule that failed, e.g. `isIn`, `whitelistValidation`. */
  rule: string;
  message: string;
}

export const flattenValidationErrors = (errors: ValidationError[], parent = ''): FieldError[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule,
      message: rule === 'whitelistValidation' ? `${field} is not a field this request accepts` : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });

/** Ten digits, spaces aside: the shape of an NHS number, which the bus refuses as a message key (DESIGN §4). */
const NHS_NUMBER_SHAPE = /^\d{10}$/;

/**
 * An id chosen by a user (`providerId`, `siteId`, `bedId`, …) becomes a stream id, a URL and a bus key, where an
 * NHS number must never be; one shaped like one is refused here, naming the field, before anything is written.
 */
class CommandValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata) {
    // Before class-validator: its IsNumber({ maxDecimalPlaces }) throws a TypeError on 1e-300 (a 500, not a 400).
    const exponents = metadata.type === 'body' ? exponentNumbers(value) : [];
    if (exponents.length > 0) throw refusal(exponents.map(notPlain));
    const checked = (await super.transform(value, metadata)) as unknown;
    const ids: Array<[string, unknown]> =
      metadata.type === 'param' && metadata.data
        ? [[metadata.data, checked]]
        : metadata.type === 'body' && checked && typeof checked === 'object'
          ? Object.entries(checked).filter(([name]) => /Id$/.test(name))
          : [];
    const shaped = ids.filter(([, id]) => typeof id === 'string' && NHS_NUMBER_SHAPE.test(id.replace(/\s/g, '')));
    const errors = [
      ...shaped.map(([field]) => ({
        field,
        rule: 'notNhsNumberShaped',
        message: `${field} must not look like an NHS number (ten digits): ids travel in URLs and bus keys`,
      })),
    ];
    if (errors.length > 0) throw refusal(errors);
    return checked;
  }
}

const refusal = (errors: FieldError[]) =>
  new BadRequestException({ code: 'VALIDATION_FAILED', message: errors.map((e) => e.message).join('; '), errors });
const notPlain = (field: string): FieldError => ({
  field,
  rule: 'isPlainNumber',
  message: `${field} must be a number written without an exponent (from 0.000001 to 10^21)`,
});

/**
 * Numbers whose shortest form has an exponent (1e-300, 1e308): no command needs one, and class-validator's
 * IsNumber({ maxDecimalPlaces }) throws on one ("1e-300".split('.')[1] is undefined), which was a 500.
 */
function exponentNumbers(value: unknown, path = '', depth = 0): string[] {
  if (typeof value === 'number') return /e/i.test(String(value)) ? [path] : [];
  if (!value || typeof value !== 'object' || depth > 8) return [];
  return Object.entries(value).flatMap(([key, v]) => exponentNumbers(v, path ? `${path}.${key}` : key, depth + 1));
}

/** Whitelists, forbids unknown fields, and answers 400 naming every field and rule. */
export const commandValidationPipe = () =>
  new CommandValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      return new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: fieldErrors.map((e) => e.message).join('; ') || 'The request body is not valid',
        errors: fieldErrors,
      });
    },
  });
