/**
 * Europe/London calendar arithmetic (DESIGN §2 "Time"): instants are stored in UTC, and every date the
 * product shows or groups by is a London calendar date, correct across the clock changes.
 * Built on Intl only, so there is no time-zone dependency to keep up to date beyond Node's own ICU.
 */

/** A London calendar date as `YYYY-MM-DD`. */
export type LondonDate = string;

/** An instant as a Date, or as an ISO 8601 string with `Z` or an explicit offset. */
export type Instant = Date | string;

/** A half-open window of instants, `[from, toExclusive)`, covering whole London days `firstDate`..`lastDate`. */
export interface LondonWindow {
  from: Date;
  toExclusive: Date;
  firstDate: LondonDate;
  lastDate: LondonDate;
  days: number;
}

export interface LondonDateTimeParts {
  date: LondonDate;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes ahead of UTC: 0 in GMT, 60 in BST. */
  utcOffsetMinutes: number;
}

export class InvalidDate extends Error {
  override readonly name = 'InvalidDate';
}

export const LONDON_TIME_ZONE = 'Europe/London';

const MS_PER_DAY = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// An instant without an offset would be read in the host's zone, which is how off-by-an-hour bugs start.
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export function parseInstant(instant: Instant): Date {
  if (instant instanceof Date) {
    if (Number.isNaN(instant.getTime())) throw new InvalidDate('Invalid instant: the Date is not a valid time');
    return instant;
  }
  if (typeof instant !== 'string' || !INSTANT_PATTERN.test(instant)) {
    throw new InvalidDate(
      `Invalid instant '${String(instant)}': expected ISO 8601 with Z or an offset, e.g. 2026-03-29T00:30:00Z`,
    );
  }
  const parsed = new Date(instant);
  if (Number.isNaN(parsed.getTime())) throw new InvalidDate(`Invalid instant '${instant}': not a real time`);
  return parsed;
}

/** Checks a `YYYY-MM-DD` string is a real calendar date and returns its parts. */
export function parseLondonDate(date: LondonDate): { year: number; month: number; day: number } {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null;
  if (!match) throw new InvalidDate(`Invalid date '${String(date)}': expected a calendar date as YYYY-MM-DD`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC reads years 0–99 as 1900–1999, and nothing here predates the NHS anyway.
  if (year < 1000) throw new InvalidDate(`Invalid date '${date}': the year must be 1000 or later`);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new InvalidDate(`Invalid date '${date}': there is no such day in the calendar`);
  }
  return { year, month, day };
}

export function isLondonDate(value: unknown): value is LondonDate {
  try {
    parseLondonDate(value as string);
    return true;
  } catch {
    return false;
  }
}

export function londonDateTimeParts(instant: Instant): LondonDateTimeParts {
  const at = parseInstant(instant);
  const parts: Record<string, number> = {};
  for (const part of londonFormat.formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const { year, month, day, hour, minute, second } = parts;
  const wallClockAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const utcOffsetMinutes = Math.round((wallClockAsUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  return { date: formatDate(year, month, day), year, month, day, hour, minute, second, utcOffsetMinutes };
}

/** The London calendar date of an instant, e.g. 2026-06-30T23:30Z → '2026-07-01'. */
export function londonDate(instant: Instant): LondonDate {
  return londonDateTimeParts(instant).date;
}

/** The UTC instant of 00:00 London time on `date`. London's changes happen at 01:00 UTC, so midnight always exists once. */
export function startOfLondonDay(date: LondonDate): Date {
  const { year, month, day } = parseLondonDate(date);
  const midnightAsUtc = Date.UTC(year, month - 1, day);
  let guess = midnightAsUtc - londonDateTimeParts(new Date(midnightAsUtc)).utcOffsetMinutes * 60_000;
  guess = midnightAsUtc - londonDateTimeParts(new Date(guess)).utcOffsetMinutes * 60_000;
  const check = londonDateTimeParts(new Date(guess));
  if (check.date !== date || check.hour !== 0 || check.minute !== 0) {
    throw new InvalidDate(`Midnight does not exist in London on ${date}`);
  }
  return new Date(guess);
}

export function addLondonDays(date: LondonDate, days: number): LondonDate {
  assertWholeNumber(days, 'days');
  return fromDayNumber(toDayNumber(date) + days);
}

/** Calendar days from `from` to `to` (negative if `to` is earlier). A 23- or 25-hour day still counts as one. */
export function londonDaysBetween(from: LondonDate, to: LondonDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** The whole London days `firstDate`..`lastDate` inclusive, as a half-open window of instants. */
export function londonDays(firstDate: LondonDate, lastDate: LondonDate): LondonWindow {
  const days = londonDaysBetween(firstDate, lastDate) + 1;
  if (days < 1) throw new InvalidDate(`Invalid window: ${lastDate} is before ${firstDate}`);
  return {
    from: startOfLondonDay(firstDate),
    toExclusive: startOfLondonDay(addLondonDays(lastDate, 1)),
    firstDate,
    lastDate,
    days,
  };
}

/** One London day, e.g. "today". */
export function londonDay(date: LondonDate): LondonWindow {
  return londonDays(date, date);
}

/** From the 1st of `date`'s month through `date` inclusive. */
export function monthToDate(date: LondonDate): LondonWindow {
  return londonDays(`${date.slice(0, 8)}01`, date);
}

/** The `n` London days ending with, and including, `date`: lastNDays(today, 7) is today and the six days before. */
export function lastNDays(date: LondonDate, n: number): LondonWindow {
  assertWholeNumber(n, 'n');
  if (n < 1) throw new InvalidDate(`lastNDays needs at least 1 day, got ${n}`);
  return londonDays(addLondonDays(date, -(n - 1)), date);
}

/** ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(date: LondonDate): { year: number; week: number } {
  const dayNumber = toDayNumber(date);
  const thursday = dayNumber - isoWeekday(dayNumber) + 4;
  const year = new Date(thursday * MS_PER_DAY).getUTCFullYear();
  const week = Math.floor((thursday - toDayNumber(formatDate(year, 1, 1))) / 7) + 1;
  return { year, week };
}

/** The Monday that starts `date`'s ISO week. */
export function weekStarting(date: LondonDate): LondonDate {
  const dayNumber = toDayNumber(date);
  return fromDayNumber(dayNumber - isoWeekday(dayNumber) + 1);
}

/**
 * "The nth day after discharge": the London calendar date n days after the London date of the discharge.
 * The discharge day is day 0, so for ASCOF 2B day 91 of a discharge at 2026-01-10T23:30Z (London 10 Jan) is
 * 2026-04-11. The day begins at `startOfLondonDay(dayNumberAfter(discharge, 91))`.
 */
export function dayNumberAfter(dischargeInstant: Instant, n: number): LondonDate {
  assertWholeNumber(n, 'n');
  if (n < 0) throw new InvalidDate(`dayNumberAfter needs n >= 0, got ${n}`);
  return addLondonDays(londonDate(dischargeInstant), n);
}

function toDayNumber(date: LondonDate): number {
  const { year, month, day } = parseLondonDate(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromDayNumber(dayNumber: number): LondonDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** 1 = Monday … 7 = Sunday. Day 0 (1970-01-01) was a Thursday. */
function isoWeekday(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

function formatDate(year: number, month: number, day: number): LondonDate {
  if (year < 0 || year > 9999) throw new InvalidDate(`Year ${year} is outside 0000–9999`);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function assertWholeNumber(value: number, name: string): void {
  if (!Number.isInteger(value)) throw new InvalidDate(`${name} must be a whole number, got ${String(value)}`);
}
