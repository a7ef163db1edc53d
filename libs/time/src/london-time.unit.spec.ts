import {
  addLondonDays,
  dayNumberAfter,
  InvalidDate,
  isLondonDate,
  isoWeek,
  lastNDays,
  londonDate,
  londonDateTimeParts,
  londonDay,
  londonDaysBetween,
  monthToDate,
  startOfLondonDay,
  weekStarting,
} from './london-time';

const HOUR = 3_600_000;
const hoursIn = (date: string) => {
  const day = londonDay(date);
  return (day.toExclusive.getTime() - day.from.getTime()) / HOUR;
};

// 2026: clocks go forward at 01:00 UTC on Sunday 29 March, and back at 01:00 UTC on Sunday 25 October.
describe('London calendar dates', () => {
  it.each([
    ['2026-06-30T23:30:00Z', '2026-07-01'],
    ['2026-06-30T22:59:59Z', '2026-06-30'],
    ['2026-01-15T00:30:00Z', '2026-01-15'],
    ['2026-12-31T23:30:00Z', '2026-12-31'],
    ['2026-03-28T23:30:00Z', '2026-03-28'],
    ['2026-03-29T23:30:00Z', '2026-03-30'],
    ['2026-10-24T23:30:00Z', '2026-10-25'],
    ['2026-10-25T23:30:00Z', '2026-10-25'],
    ['2026-07-01T00:30:00+01:00', '2026-07-01'],
  ])('the instant %s is on %s in London', (instant, expected) => {
    expect(londonDate(instant)).toBe(expected);
    expect(londonDate(new Date(instant))).toBe(expected);
  });

  it('gives wall-clock parts and the offset either side of the spring change', () => {
    expect(londonDateTimeParts('2026-03-29T00:59:59Z')).toMatchObject({
      date: '2026-03-29',
      hour: 0,
      minute: 59,
      utcOffsetMinutes: 0,
    });
    expect(londonDateTimeParts('2026-03-29T01:00:00Z')).toMatchObject({
      date: '2026-03-29',
      hour: 2,
      minute: 0,
      utcOffsetMinutes: 60,
    });
  });

  it('shows 01:30 twice on the autumn change, first in BST then in GMT', () => {
    expect(londonDateTimeParts('2026-10-25T00:30:00Z')).toMatchObject({ hour: 1, minute: 30, utcOffsetMinutes: 60 });
    expect(londonDateTimeParts('2026-10-25T01:30:00Z')).toMatchObject({ hour: 1, minute: 30, utcOffsetMinutes: 0 });
  });
});

describe('start of a London day', () => {
  it.each([
    ['2026-01-15', '2026-01-15T00:00:00.000Z'],
    ['2026-07-01', '2026-06-30T23:00:00.000Z'],
    ['2026-03-29', '2026-03-29T00:00:00.000Z'],
    ['2026-03-30', '2026-03-29T23:00:00.000Z'],
    ['2026-10-25', '2026-10-24T23:00:00.000Z'],
    ['2026-10-26', '2026-10-26T00:00:00.000Z'],
  ])('%s starts at %s', (date, instant) => {
    expect(startOfLondonDay(date).toISOString()).toBe(instant);
  });

  it('makes the spring-change day 23 hours long, the autumn one 25, and ordinary days 24', () => {
    expect(hoursIn('2026-03-29')).toBe(23);
    expect(hoursIn('2026-10-25')).toBe(25);
    expect(hoursIn('2026-03-28')).toBe(24);
    expect(hoursIn('2026-10-26')).toBe(24);
  });
});

describe('calendar arithmetic', () => {
  it('adds calendar days across month, year and clock-change boundaries', () => {
    expect(addLondonDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addLondonDays('2026-10-24', 2)).toBe('2026-10-26');
    expect(addLondonDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addLondonDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addLondonDays('2026-01-15', 0)).toBe('2026-01-15');
  });

  it('counts calendar days, so a 23- or 25-hour day is still one day', () => {
    expect(londonDaysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(londonDaysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(londonDaysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(londonDaysBetween('2026-02-10', '2026-02-01')).toBe(-9);
  });
});

describe('reporting windows', () => {
  it('month to date runs from the 1st through the given date, as [from, toExclusive)', () => {
    expect(monthToDate('2026-03-31')).toEqual({
      from: new Date('2026-03-01T00:00:00Z'),
      toExclusive: new Date('2026-03-31T23:00:00Z'),
      firstDate: '2026-03-01',
      lastDate: '2026-03-31',
      days: 31,
    });
  });

  it('month to date in October spans the change back: starts in BST, ends in GMT', () => {
    const window = monthToDate('2026-10-31');
    expect(window.from.toISOString()).toBe('2026-09-30T23:00:00.000Z');
    expect(window.toExclusive.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect((window.toExclusive.getTime() - window.from.getTime()) / HOUR).toBe(31 * 24 + 1);
  });

  it('the last 7 days include the given date, and across the spring change hold 167 hours', () => {
    const window = lastNDays('2026-04-01', 7);
    expect(window.firstDate).toBe('2026-03-26');
    expect(window.from.toISOString()).toBe('2026-03-26T00:00:00.000Z');
    expect(window.toExclusive.toISOString()).toBe('2026-04-01T23:00:00.000Z');
    expect((window.toExclusive.getTime() - window.from.getTime()) / HOUR).toBe(7 * 24 - 1);
  });

  it('a rolling 28 days across the autumn change holds 673 hours', () => {
    const window = lastNDays('2026-11-10', 28);
    expect(window).toMatchObject({ firstDate: '2026-10-14', lastDate: '2026-11-10', days: 28 });
    expect(window.from.toISOString()).toBe('2026-10-13T23:00:00.000Z');
    expect((window.toExclusive.getTime() - window.from.getTime()) / HOUR).toBe(28 * 24 + 1);
  });

  it('an instant at 23:30 UTC on 30 June falls in July, not June', () => {
    const july = monthToDate('2026-07-31');
    const at = new Date('2026-06-30T23:30:00Z').getTime();
    expect(at >= july.from.getTime() && at < july.toExclusive.getTime()).toBe(true);
  });

  it('today is the single London day', () => {
    expect(lastNDays('2026-10-25', 1)).toEqual(londonDay('2026-10-25'));
  });
});

describe('ISO weeks', () => {
  it.each([
    ['2026-01-01', { year: 2026, week: 1 }, '2025-12-29'],
    ['2026-03-29', { year: 2026, week: 13 }, '2026-03-23'],
    ['2026-03-30', { year: 2026, week: 14 }, '2026-03-30'],
    ['2027-01-01', { year: 2026, week: 53 }, '2026-12-28'],
    ['2024-12-30', { year: 2025, week: 1 }, '2024-12-30'],
  ])('%s is in ISO week %o, starting %s', (date, week, monday) => {
    expect(isoWeek(date)).toEqual(week);
    expect(weekStarting(date)).toBe(monday);
  });
});

describe('the nth day after discharge', () => {
  it('counts from the London date of the discharge, which is day 0', () => {
    expect(dayNumberAfter('2026-01-10T23:30:00Z', 91)).toBe('2026-04-11');
    expect(dayNumberAfter('2026-01-10T23:30:00Z', 0)).toBe('2026-01-10');
  });

  it('uses the London date when the discharge is late evening in summer time', () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London, so day 91 is 30 September.
    expect(dayNumberAfter('2026-06-30T23:30:00Z', 91)).toBe('2026-09-30');
  });

  it('is unaffected by the clock changes in between', () => {
    expect(dayNumberAfter('2026-10-01T12:00:00Z', 91)).toBe('2026-12-31');
    expect(startOfLondonDay(dayNumberAfter('2026-01-02T10:00:00Z', 91)).toISOString()).toBe('2026-04-02T23:00:00.000Z');
  });
});

describe('input validation', () => {
  it.each(['2026-02-30', '2026-13-01', '26-01-01', '2026-1-5', '', '2026-01-15T00:00:00Z', '0099-01-01'])(
    'rejects the date %p with a clear error',
    (bad) => {
      expect(() => startOfLondonDay(bad)).toThrow(InvalidDate);
      expect(() => addLondonDays(bad, 1)).toThrow(/Invalid date/);
      expect(isLondonDate(bad)).toBe(false);
    },
  );

  it.each(['2026-01-15', '2026-01-15T09:00', 'yesterday', '2026-01-15T25:00:00Z'])('rejects the instant %p', (bad) => {
    expect(() => londonDate(bad)).toThrow(/Invalid instant/);
  });

  it('rejects an invalid Date, fractional day counts and empty windows', () => {
    expect(() => londonDate(new Date(Number.NaN))).toThrow(InvalidDate);
    expect(() => addLondonDays('2026-01-15', 1.5)).toThrow(/whole number/);
    expect(() => lastNDays('2026-01-15', 0)).toThrow(/at least 1 day/);
    expect(() => dayNumberAfter('2026-01-15T09:00:00Z', -1)).toThrow(InvalidDate);
  });

  it('accepts leap days', () => {
    expect(isLondonDate('2028-02-29')).toBe(true);
    expect(isLondonDate('2026-02-29')).toBe(false);
  });
});
