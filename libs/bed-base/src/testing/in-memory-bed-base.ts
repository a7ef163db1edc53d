import { deterministicUuid, DomainRefusal, type Command, type DomainEvent } from '@app/event-sourcing';
import type { BusEvent } from '@app/messaging/bus';
import { bedBaseProcessManagers } from '../process-managers';
import { createBedBaseRoutes, type BedBaseRoute } from '../routes';
import { rules } from './builders';

/**
 * The bed base over in-memory streams, with its process managers run to quiescence: enough to follow a
 * case's events through the index, the request and the bed. Commands for other contexts are collected.
 */
export class InMemoryBedBase {
  readonly streams = new Map<string, BusEvent[]>();
  readonly external: Command[] = [];
  readonly parked: Array<{ command: Command; refusal: DomainRefusal }> = [];
  private readonly routes: BedBaseRoute[] = createBedBaseRoutes(rules);
  private position = 0;

  /** Dispatches as the CommandDispatcher would; a refusal is thrown. */
  dispatch(command: Command): BusEvent[] {
    const entry = this.routes.find((r) => r.types.includes(command.type));
    if (!entry) {
      this.external.push(command);
      return [];
    }
    const { route } = entry;
    const streamId = route.streamOf(command);
    const existing = this.streams.get(streamId) ?? [];
    if (route.createOnly && existing.length > 0) return [];
    const state = existing.reduce((s, e) => route.decider.evolve(s, e as unknown as DomainEvent), route.decider.initialState());
    const decided = route.decider.decide(command, state);
    const events = (Array.isArray(decided) ? decided : [decided]).map((event, i): BusEvent => ({
      id: deterministicUuid(`${command.metadata.commandId}:${i}`),
      type: event.type,
      schemaVersion: 1,
      streamId,
      revision: existing.length + i,
      position: String(++this.position),
      occurredAt: command.metadata.now,
      recordedAt: command.metadata.now,
      data: event.data,
      metadata: {
        correlationId: command.metadata.correlationId,
        causationId: command.metadata.causationId ?? command.metadata.commandId,
        actor: command.metadata.actor,
      },
    }));
    this.streams.set(streamId, [...existing, ...events]);
    return events;
  }

  /** Delivers events to the process managers, and their commands' events in turn, until nothing is left. */
  deliver(events: readonly BusEvent[]): void {
    const queue = [...events];
    while (queue.length > 0) {
      const event = queue.shift()!;
      for (const pm of bedBaseProcessManagers) {
        for (const command of pm.react(event)) {
          try {
            queue.push(...this.dispatch(command));
          } catch (error) {
            if (!(error instanceof DomainRefusal)) throw error;
            this.parked.push({ command, refusal: error });
          }
        }
      }
    }
  }

  /** Dispatches a person's command and lets the process managers react. */
  run(command: Command): BusEvent[] {
    const events = this.dispatch(command);
    this.deliver(events);
    return events;
  }

  typesOf(streamId: string): string[] {
    return (this.streams.get(streamId) ?? []).map((e) => e.type);
  }
}

let sequence = 0;
/** A discharge-context event as the bus delivers it. */
export const fromDischarge = <E extends DomainEvent>(event: E, at = '2026-11-23T10:00:00.000Z'): BusEvent => {
  sequence += 1;
  const caseId = (event.data as { caseId: string }).caseId;
  return {
    id: deterministicUuid(`discharge-event:${sequence}`),
    type: event.type,
    schemaVersion: 1,
    streamId: `dischargeCase-${caseId}`,
    revision: sequence,
    position: String(sequence),
    occurredAt: at,
    recordedAt: at,
    data: event.data,
    metadata: {
      correlationId: `corr-${sequence}`,
      causationId: `cause-${sequence}`,
      actor: { userId: 'hub', role: 'hub', organisation: 'TOCH' },
    },
  };
};
