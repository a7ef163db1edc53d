import { parseInstant, type Instant } from './london-time';

/**
 * The clock port. Only the Nest layer (handlers, schedulers, the store's recordedAt) reads it:
 * deciders get time on the command, so they stay pure and replayable.
 */
export interface Clock {
  now(): Date;
}

/** Injection token for the clock port. */
export const CLOCK = Symbol('CLOCK');

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** Elapsed time. A day here is 24 hours; for London calendar days use `addLondonDays`. */
export interface ElapsedTime {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

/** Called after the controllable clock moves, e.g. so a scheduler can fire deadlines now due. */
export type ClockListener = (now: Date, previous: Date) => void | Promise<void>;

export class InvalidClockChange extends Error {
  override readonly name = 'InvalidClockChange';
}

const MS_PER = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1_000, milliseconds: 1 } as const;

export function elapsedMilliseconds(by: number | ElapsedTime): number {
  if (typeof by === 'number') return by;
  let total = 0;
  for (const unit of Object.keys(MS_PER) as (keyof ElapsedTime)[]) {
    const amount = by[unit] ?? 0;
    if (!Number.isFinite(amount)) throw new InvalidClockChange(`${unit} must be a finite number, got ${String(amount)}`);
    total += amount * MS_PER[unit];
  }
  return total;
}

/**
 * A clock for tests: it stands still until told to move.
 * `advance` and `set` change `now()` at once, then wake listeners one at a time in the order they
 * subscribed; the returned promise settles when every listener has finished, so
 * `await clock.advance({ minutes: 16 })` lets a scheduler fire what became due before the test asserts.
 */
export class ControllableClock implements Clock {
  private current: number;
  private readonly listeners = new Set<ClockListener>();

  constructor(start: Instant = '2026-01-15T09:00:00.000Z') {
    this.current = parseInstant(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Jumps to an instant. Moving backwards is allowed (clock skew tests) and also wakes listeners. */
  async set(instant: Instant): Promise<void> {
    await this.moveTo(parseInstant(instant).getTime());
  }

  /** Moves forward only: schedulers may assume time never runs backwards under `advance`. */
  async advance(by: number | ElapsedTime): Promise<Date> {
    const ms = elapsedMilliseconds(by);
    if (!Number.isFinite(ms) || ms < 0) throw new InvalidClockChange(`advance needs a non-negative duration, got ${ms} ms`);
    await this.moveTo(this.current + ms);
    return this.now();
  }

  /** Returns an unsubscribe function. */
  onAdvance(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async moveTo(next: number): Promise<void> {
    const previous = new Date(this.current);
    this.current = next;
    for (const listener of [...this.listeners]) await listener(this.now(), previous);
  }
}
