import { ageBandOn, ageOn, InvalidCalendarDate, londonDateOf } from './age-band';

describe('age band', () => {
  it.each([
    ['2010-06-01', '2026-06-01', '0-17'],
    ['2008-06-02', '2026-06-01', '0-17'],
    ['2008-06-01', '2026-06-01', '18-64'],
    ['1961-06-02', '2026-06-01', '18-64'],
    ['1961-06-01', '2026-06-01', '65-74'],
    ['1951-06-02', '2026-06-01', '65-74'],
    ['1951-06-01', '2026-06-01', '75-84'],
    ['1941-06-02', '2026-06-01', '75-84'],
    ['1941-06-01', '2026-06-01', '85+'],
    ['1920-01-01', '2026-06-01', '85+'],
  ] as const)('given born %s, on %s, then the band is %s', (dateOfBirth, onDate, band) => {
    expect(ageBandOn(dateOfBirth, onDate)).toBe(band);
  });

  it('given someone born on 29 February, then they turn a year older on 1 March in a common year', () => {
    expect(ageOn('1960-02-29', '2025-02-28')).toBe(64);
    expect(ageOn('1960-02-29', '2025-03-01')).toBe(65);
    expect(ageOn('1960-02-29', '2024-02-29')).toBe(64);
  });

  it('given an instant late on a summer evening in UTC, then the age is that of the next London day', () => {
    // 23:30 UTC on 31 May 2026 is 00:30 BST on 1 June: the 65th birthday in London.
    const instant = new Date('2026-05-31T23:30:00Z');
    expect(londonDateOf(instant)).toBe('2026-06-01');
    expect(ageBandOn('1961-06-01', instant)).toBe('65-74');
  });

  it('given an instant late on a winter evening in UTC, then London (GMT) is the same day', () => {
    expect(londonDateOf(new Date('2026-01-14T23:30:00Z'))).toBe('2026-01-14');
    expect(ageBandOn('1961-01-15', new Date('2026-01-14T23:30:00Z'))).toBe('18-64');
  });

  it('given dates that are not real calendar dates, or a birth after the date, then it throws', () => {
    expect(() => ageBandOn('1961-02-30', '2026-06-01')).toThrow(InvalidCalendarDate);
    expect(() => ageBandOn('01/06/1961', '2026-06-01')).toThrow(InvalidCalendarDate);
    expect(() => ageBandOn('2026-06-02', '2026-06-01')).toThrow(InvalidCalendarDate);
  });
});
