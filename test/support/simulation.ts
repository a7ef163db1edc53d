import { CommandDispatcher, CommandRunner, type EventStore } from '@app/event-sourcing';
import type { ContextDefinition } from '@app/platform/context';

/**
 * What the seeded history generators (discharge-history, capacity-history) share: a simulated clock, a seeded
 * random source, and a timeline that runs steps in simulated time order. Every command carries the simulated
 * `now`; point the store's recordedAt clock at `clock.now()` so as-of queries line up.
 */
export class SimulatedClock {
  private at = Date.parse('2026-03-01T00:00:00Z');
  now = (): Date => new Date(this.at);
  set(ms: number) {
    this.at = ms;
  }
}

/** mulberry32: small, seeded, good enough to spread test data. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    weighted: <T>(items: ReadonlyArray<readonly [T, number]>): T => {
      let r = next() * items.reduce((s, [, w]) => s + w, 0);
      for (const [item, w] of items) if ((r -= w) < 0) return item;
      return items[items.length - 1][0];
    },
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Down to the whole second. */
export const second = (ms: number) => Math.floor(ms / 1000) * 1000;

/** Something that happens at a simulated instant, and may start further steps. */
export type Step = { at: number; run: () => Promise<Step[] | void> };

/** The steps of a history, run in simulated time order; ties keep scheduling order. */
export class Timeline {
  private readonly steps: Step[] = [];
  private readonly order = new Map<Step, number>();
  private seq = 0;

  schedule(step: Step) {
    this.order.set(step, this.seq++);
    this.steps.push(step);
  }

  /** Sets the clock to each step's instant and runs it; `settle` (if given) runs before the steps it started are scheduled. */
  async run(clock: SimulatedClock, settle?: () => Promise<void>) {
    while (this.steps.length > 0) {
      let best = 0;
      for (let i = 1; i < this.steps.length; i++) {
        const a = this.steps[i];
        const b = this.steps[best];
        if (a.at < b.at || (a.at === b.at && this.order.get(a)! < this.order.get(b)!)) best = i;
      }
      const [step] = this.steps.splice(best, 1);
      clock.set(step.at);
      const next = await step.run();
      if (settle) await settle();
      for (const s of next ?? []) this.schedule(s);
    }
  }
}

/** A dispatcher over the store with the commands of the given contexts registered, as the apps wire it. */
export function dispatcherFor(store: EventStore, contexts: readonly ContextDefinition[]): CommandDispatcher {
  const dispatcher = new CommandDispatcher(new CommandRunner(store));
  for (const c of contexts) c.registerCommands?.(dispatcher);
  return dispatcher;
}
