import type { Pathway, ReferenceData } from '@app/reference-data';
import { isLondonDate, type LondonDate } from '@app/time';
import { MAX_COUNT } from './activity-feed';

export type Checked<T> = { ok: true; value: T } | { ok: false; rule: string; message: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const no = <T>(rule: string, message: string): Checked<T> => ({ ok: false, rule, message });

/** The rules a feed's values follow, whatever format they came in. `what` names the field in messages. */
export const feedChecks = (reference: ReferenceData) => ({
  date: (value: string, what: string): Checked<LondonDate> =>
    isLondonDate(value) ? ok(value) : no('date', `${what} must be a calendar date written YYYY-MM-DD`),

  pathway: (value: string | number): Checked<Pathway> => {
    const text = String(value);
    return /^[0-3]$/.test(text) ? ok(Number(text) as Pathway) : no('pathway', 'pathway must be 0, 1, 2 or 3');
  },

  trust: (value: string): Checked<string> =>
    reference.contents.trusts.some((trust) => trust.odsCode === value)
      ? ok(value)
      : no('trust', 'the trust ODS code is not a trust in the reference data'),

  site: (value: string, trust: string | undefined): Checked<string> => {
    const hospital = reference.hospital(value);
    if (!hospital) return no('site', 'the site ODS code is not a hospital site in the reference data');
    if (trust !== undefined && hospital.trustOdsCode !== trust) {
      return no('site-trust', `the site belongs to trust ${hospital.trustOdsCode}, not to the trust given on this row`);
    }
    return ok(value);
  },

  area: (value: string): Checked<string> =>
    reference.area(value) ? ok(value) : no('area', 'the area is not an area in the reference data'),

  ageBand: (value: string): Checked<string> =>
    reference.contents.ageBands.some((band) => band.code === value)
      ? ok(value)
      : no('age-band', `the age band must be one of ${reference.contents.ageBands.map((band) => band.code).join(', ')}`),

  destination: (value: string): Checked<{ destination: string; originalDestination?: string }> => {
    const current = reference.currentDestinationFor(value);
    if (!current) return no('destination', 'the destination is not an NHS Data Dictionary discharge destination code');
    return ok(current.code === value ? { destination: value } : { destination: current.code, originalDestination: value });
  },

  count: (value: string | number): Checked<number> => {
    const text = String(value);
    const count = Number(text);
    return /^\d+$/.test(text) && count <= MAX_COUNT
      ? ok(count)
      : no('count', `the count must be a whole number from 0 to ${MAX_COUNT}, written in digits`);
  },

  delayListVersion: (value: string): Checked<string> =>
    reference.contents.delayReasons.versions.some((v) => v.version === value)
      ? ok(value)
      : no('delay-list-version', 'the delay-reason list version is not in the reference data'),

  delayReason: (code: string, version: string): Checked<string> =>
    reference.delayReason(code, version) ? ok(code) : no('delay-reason', `the delay reason is not in the ${version} list`),
});

export type FeedChecks = ReturnType<typeof feedChecks>;
