import { ControllableClock, InvalidClockChange, SystemClock } from './clock';

describe('ControllableClock', () => {
  it('stands still until moved', () => {
    const clock = new ControllableClock('2026-03-29T00:30:00Z');
    expect(clock.now().toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-03-29T00:30:00.000Z');
  });

  it('hands out copies, so a caller cannot move it by mutating the Date', () => {
    const clock = new ControllableClock('2026-01-15T09:00:00Z');
    clock.now().setUTCFullYear(2000);
    expect(clock.now().toISOString()).toBe('2026-01-15T09:00:00.000Z');
  });

  it('advances by milliseconds or by elapsed minutes, hours and days', async () => {
    const clock = new ControllableClock('2026-10-24T12:00:00Z');
    await clock.advance(500);
    await clock.advance({ minutes: 15 });
    expect(clock.now().toISOString()).toBe('2026-10-24T12:15:00.500Z');
    // A "day" is 24 elapsed hours, even across the clock change.
    expect((await clock.advance({ days: 1, hours: 2 })).toISOString()).toBe('2026-10-25T14:15:00.500Z');
  });

  it('refuses to run backwards under advance, or to take a bad instant', async () => {
    const clock = new ControllableClock();
    await expect(clock.advance(-1)).rejects.toThrow(InvalidClockChange);
    await expect(clock.advance({ minutes: Number.NaN })).rejects.toThrow(InvalidClockChange);
    await expect(clock.set('2026-01-15T09:00')).rejects.toThrow(/Invalid instant/);
  });

  it('wakes listeners in order with the new and previous time, and waits for them', async () => {
    const clock = new ControllableClock('2026-01-15T09:00:00Z');
    const seen: string[] = [];
    clock.onAdvance(async (now, previous) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(`first ${previous.toISOString()} -> ${now.toISOString()}`);
    });
    clock.onAdvance((now) => {
      seen.push(`second ${now.toISOString()}`);
    });

    await clock.advance({ minutes: 30 });

    expect(seen).toEqual(['first 2026-01-15T09:00:00.000Z -> 2026-01-15T09:30:00.000Z', 'second 2026-01-15T09:30:00.000Z']);
  });

  it('lets a scheduler see the new time while it runs, and stops waking it once unsubscribed', async () => {
    const clock = new ControllableClock('2026-01-15T09:00:00Z');
    const fired: string[] = [];
    const unsubscribe = clock.onAdvance(() => {
      fired.push(clock.now().toISOString());
    });
    await clock.set('2026-01-15T10:00:00Z');
    unsubscribe();
    await clock.advance({ hours: 1 });
    expect(fired).toEqual(['2026-01-15T10:00:00.000Z']);
  });
});

describe('SystemClock', () => {
  it('reads the real time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
