import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

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

/** Whitelists, forbids unknown fields, and answers 400 naming every field and rule. */
export const commandValidationPipe = () =>
  new ValidationPipe({
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
