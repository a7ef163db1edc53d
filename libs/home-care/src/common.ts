import { assertInScope, DomainRefusal, type Actor, type RefusalKind, type Role } from '@app/event-sourcing';
import { addLondonDays, isLondonDate, londonDate, londonDaysBetween, type LondonDate } from '@app/time';

export const refuse = (code: string, message: string, kind: RefusalKind = 'unprocessable', details = {}) =>
  new DomainRefusal(code, message, kind, details);

export const assertRole = (actor: Actor, roles: readonly Role[], what: string): void => {
  if (!roles.includes(actor.role)) {
    throw refuse('ROLE_NOT_PERMITTED', `Only ${roles.join(' or ')} users may ${what}`, 'forbidden');
  }
};

/** The hub and process managers act for every provider; a provider user only for its own organisation. */
export const assertActsFor = (actor: Actor, providerId: string, roles: readonly Role[], what: string): void => {
  assertRole(actor, roles, what);
  assertInScope(actor, { provider: providerId });
};

/**
 * Provider ids and locality codes go into stream ids (`capacityLedger-<provider>.<LOCALITY>.<date>`), whose
 * id part allows only letters, digits and `._:-`: a provider id is letters and digits joined by single hyphens.
 */
export const PROVIDER_ID = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;
/** Reference-data area codes (SOUTH_SOMERSET): upper case, digits and underscores, never a hyphen. */
export const LOCALITY_CODE = /^[A-Z][A-Z0-9_]*$/;

export const assertProviderId = (providerId: string): void => {
  if (typeof providerId !== 'string' || !PROVIDER_ID.test(providerId) || providerId.length > 60) {
    throw refuse('INVALID_PROVIDER_ID', 'A provider id is letters and digits joined by single hyphens, at most 60 characters');
  }
};

export const assertLocality = (locality: string): void => {
  if (typeof locality !== 'string' || !LOCALITY_CODE.test(locality) || locality.length > 60) {
    throw refuse('INVALID_LOCALITY', `"${String(locality)}" is not a locality code (e.g. SOUTH_SOMERSET)`);
  }
};

export const assertDate = (value: string, field: string): void => {
  if (!isLondonDate(value)) throw refuse('INVALID_DATE', `${field} must be a calendar date (YYYY-MM-DD)`);
};

export const assertInstant = (value: string, field: string): void => {
  if (typeof value !== 'string' || !/(Z|[+-]\d\d:\d\d)$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw refuse('INVALID_INSTANT', `${field} must be an ISO 8601 instant with Z or an offset`);
  }
};

export const today = (now: string): LondonDate => londonDate(now);

export const assertNotFuture = (date: LondonDate, now: string, what: string): void => {
  if (londonDaysBetween(today(now), date) > 0) throw refuse('DATE_IN_FUTURE', `${what} cannot be in the future`);
};

/** How far ahead a provider may post a capacity return. */
export const CAPACITY_HORIZON_DAYS = 14;

export const lastDeclarableDate = (now: string): LondonDate => addLondonDays(today(now), CAPACITY_HORIZON_DAYS);

export const assertWholeNumber = (value: number, field: string, max: number): void => {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw refuse('INVALID_NUMBER', `${field} must be a whole number from 0 to ${max}`, 'unprocessable', { field });
  }
};

export const assertHours = (value: number, field: string, max = 10_000): void => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw refuse('INVALID_HOURS', `${field} must be a number of hours from 0 to ${max}`, 'unprocessable', { field });
  }
};

export const oneOf = <T extends string>(list: readonly T[], value: string, code: string, field: string): T => {
  if (!(list as readonly string[]).includes(value)) {
    throw refuse(code, `${field} must be one of ${list.join(', ')}`, 'unprocessable', { field });
  }
  return value as T;
};
