/** Kept in the clear on referrals (DESIGN §4): KPIs and ASCOF group by it. '0-17' covers children. */
export type AgeBand = '0-17' | '18-64' | '65-74' | '75-84' | '85+';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const londonDay = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export class InvalidCalendarDate extends Error {
  override readonly name = 'InvalidCalendarDate';
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** `YYYY-MM-DD` that exists in the calendar (no 31 April, no 29 February 2023). */
export function parseCalendarDate(value: string): CalendarDate | undefined {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (year < 1000 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** The Europe/London calendar date of an instant, as `YYYY-MM-DD`. */
export function londonDateOf(instant: Date): string {
  const parts = Object.fromEntries(londonDay.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Whole years lived on `onDate`; someone born on 29 February turns a year older on 1 March in other years. */
export function ageOn(dateOfBirth: string, onDate: Date | string): number {
  const born = parseCalendarDate(dateOfBirth);
  const on = parseCalendarDate(typeof onDate === 'string' ? onDate : londonDateOf(onDate));
  if (!born || !on) throw new InvalidCalendarDate('Expected calendar dates as YYYY-MM-DD');
  const hadBirthday = on.month > born.month || (on.month === born.month && on.day >= born.day);
  const age = on.year - born.year - (hadBirthday ? 0 : 1);
  if (age < 0) throw new InvalidCalendarDate('The date of birth is after the date the age is wanted for');
  return age;
}

/** `onDate` is a London calendar date, or an instant read as one (so 23:30 UTC in summer is the next day). */
export function ageBandOn(dateOfBirth: string, onDate: Date | string): AgeBand {
  const age = ageOn(dateOfBirth, onDate);
  if (age < 18) return '0-17';
  if (age < 65) return '18-64';
  if (age < 75) return '65-74';
  if (age < 85) return '75-84';
  return '85+';
}
