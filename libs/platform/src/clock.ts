/** The Nest layer's clock. Deciders never read it: the time arrives on the command. */
export interface Clock {
  now(): Date;
}
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };
