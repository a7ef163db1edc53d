import type { RecordedEvent } from '@app/event-sourcing';

/**
 * What an event says about a deadline: it schedules one ("reservation expires at T"), or settles one
 * (the reservation was taken up, released, or expired). Deadlines are derived from events, so the
 * pending set survives restarts by replaying them.
 */
export type DeadlineEffect<C = unknown> =
  /** `command` is built when the deadline fires, so that it carries the moment it really fired. */
  | { kind: 'schedule'; deadlineId: string; dueAt: string; command: (firedAt: string) => C }
  | { kind: 'settle'; deadlineId: string };

/** A context's deadlines: which events to read and what each one means. Pure. */
export interface DeadlineRule<C = unknown> {
  name: string;
  categories: readonly string[];
  effect(event: RecordedEvent): DeadlineEffect<C> | undefined;
}

export interface PendingDeadline<C = unknown> {
  deadlineId: string;
  dueAt: number;
  command: (firedAt: string) => C;
  rule: string;
}

/** The pending set as a pure fold, so that a rebuild equals live. */
export const evolvePending = <C>(
  pending: Map<string, PendingDeadline<C>>,
  rule: DeadlineRule<C>,
  event: RecordedEvent,
): Map<string, PendingDeadline<C>> => {
  const effect = rule.effect(event);
  if (!effect) return pending;
  if (effect.kind === 'schedule') {
    pending.set(effect.deadlineId, {
      deadlineId: effect.deadlineId,
      dueAt: Date.parse(effect.dueAt),
      command: effect.command,
      rule: rule.name,
    });
  } else {
    pending.delete(effect.deadlineId);
  }
  return pending;
};
