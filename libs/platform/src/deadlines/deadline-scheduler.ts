import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { categoryOf, CommandDispatcher, type Command, type EventStore, type Subscription } from '@app/event-sourcing';
import { CLOCK, type Clock } from '../clock';
import { EVENT_STORE } from '../store/event-store.module';
import { evolvePending, type DeadlineRule, type PendingDeadline } from './deadline';

export const DEADLINE_RULES = Symbol('DEADLINE_RULES');
export const DEADLINE_TICK_MS = Symbol('DEADLINE_TICK_MS');

/**
 * Fires each deadline whose time has passed as an ordinary command, at least once. The target decider
 * makes a repeat harmless (an expiry of something already gone decides nothing). Deadlines fire only
 * once the scheduler has caught up with history, so one settled later in the log is never fired.
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineScheduler.name);
  private readonly pending = new Map<string, PendingDeadline>();
  private readonly inFlight = new Set<string>();
  private readonly retryAt = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private caughtUp = false;
  private caughtUpWaiters: Array<() => void> = [];
  private consuming: Promise<void> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly commands: CommandBus,
    private readonly dispatcher: CommandDispatcher,
    @Inject(DEADLINE_RULES) private readonly rules: DeadlineRule[],
    @Inject(DEADLINE_TICK_MS) private readonly tickMs: number,
  ) {}

  onApplicationBootstrap() {
    if (this.rules.length === 0) return;
    const categories = [...new Set(this.rules.flatMap((r) => r.categories))];
    this.subscription = this.store.subscribeToAll({ categories });
    this.consuming = this.consume(this.subscription);
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  async onApplicationShutdown() {
    clearInterval(this.timer);
    await this.subscription?.close();
    await this.consuming;
  }

  /** Resolves once history has been read; tests await it before moving the clock. */
  whenCaughtUp(): Promise<void> {
    return this.caughtUp ? Promise.resolve() : new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  pendingDeadlines(): PendingDeadline[] {
    return [...this.pending.values()].sort((a, b) => a.dueAt - b.dueAt);
  }

  /** Fires what is due now. Called on a timer; tests call it after moving a controllable clock. */
  async tick(): Promise<number> {
    if (!this.caughtUp) return 0;
    const now = this.clock.now().getTime();
    const due = [...this.pending.values()].filter(
      (d) => d.dueAt <= now && !this.inFlight.has(d.deadlineId) && (this.retryAt.get(d.deadlineId) ?? 0) <= now,
    );
    await Promise.all(due.map((deadline) => this.fire(deadline, now)));
    return due.length;
  }

  private async fire(deadline: PendingDeadline, now: number) {
    this.inFlight.add(deadline.deadlineId);
    try {
      await this.execute(deadline.command(new Date(now).toISOString()));
      // Settled by the event it wrote, or a no-op: either way it is done until history says otherwise.
      this.pending.delete(deadline.deadlineId);
      this.retryAt.delete(deadline.deadlineId);
      this.failures.delete(deadline.deadlineId);
    } catch (error) {
      const failures = (this.failures.get(deadline.deadlineId) ?? 0) + 1;
      this.failures.set(deadline.deadlineId, failures);
      this.retryAt.set(deadline.deadlineId, now + Math.min(60_000, 500 * 2 ** failures));
      this.logger.warn(
        `Deadline ${deadline.rule} ${deadline.deadlineId} did not fire: ${error instanceof Error ? error.name : 'error'}`,
      );
    } finally {
      this.inFlight.delete(deadline.deadlineId);
    }
  }

  /** A context's plain-data command goes to its route in the dispatcher; a Nest command class to its handler. */
  private execute(command: unknown): Promise<unknown> {
    const type = (command as Partial<Command>).type;
    if (typeof type === 'string' && this.dispatcher.handles(type)) return this.dispatcher.dispatch(command as Command);
    return this.commands.execute(command as never);
  }

  private async consume(subscription: Subscription) {
    try {
      for await (const item of subscription) {
        if (item.kind === 'caughtUp') {
          this.caughtUp = true;
          this.caughtUpWaiters.splice(0).forEach((resolve) => resolve());
          void this.tick();
          continue;
        }
        const category = categoryOf(item.event.streamId);
        for (const rule of this.rules) {
          if (rule.categories.includes(category)) evolvePending(this.pending, rule, item.event);
        }
      }
    } catch (error) {
      this.logger.error(`Deadline subscription stopped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
