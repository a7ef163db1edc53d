import {
  assertNever,
  deterministicUuid,
  DomainRefusal,
  StreamNotFound,
  type Actor,
  type Command,
  type CommandDispatcher,
  type Decider,
  type DomainEvent,
  type EventStore,
} from '@app/event-sourcing';
import type { BusEvent, MessageBus, RetryPolicy, Subscription } from './bus';

/**
 * Reacts to other contexts' events with commands of its own. `react` is pure: the same event always
 * gives the same commands, so a redelivery decides the same thing and the runner's deterministic event
 * ids (and createOnly streams) make it a no-op.
 */
export interface ProcessManager {
  /** Also its consumer group: `pm.<name>`. */
  name: string;
  topics: readonly string[];
  react(event: BusEvent): Command[];
}

/** The actor process managers act as, on every command's metadata. */
export const processManagerActor = (name: string): Actor => ({ userId: `pm:${name}`, role: 'system', organisation: 'TOCH' });

/** Builds a reaction's command metadata from the triggering event: deterministic, so redeliveries match. */
export const reactionTo = <C extends Command>(pm: string, event: BusEvent, index: number, type: C['type'], data: C['data']): C =>
  ({
    type,
    data,
    metadata: {
      commandId: `${pm}:${event.id}:${index}`,
      correlationId: event.metadata.correlationId,
      causationId: event.id,
      actor: processManagerActor(pm),
      now: event.occurredAt,
    },
  }) as C;

/** A stream id derived from the triggering event, e.g. a bed request opened by PathwayAssigned. */
export const derivedId = (pm: string, event: BusEvent, purpose = ''): string => deterministicUuid(`${pm}:${event.id}:${purpose}`);

// ---------------------------------------------------------------------------------------------------
// The parking lot: refused commands, stored as events so the hub can see and retry them.

export type ParkedMessageEvent =
  | DomainEvent<
      'MessageParked',
      {
        parkedId: string;
        processManager: string;
        eventId: string;
        eventType: string;
        streamId: string;
        command: Command;
        reason: { code: string; message: string };
        parkedAt: string;
      }
    >
  | DomainEvent<
      'ParkedMessageRetried',
      { parkedId: string; outcome: 'resolved' | 'refused'; reason?: { code: string; message: string }; retriedAt: string }
    >
  | DomainEvent<'ParkedMessageDismissed', { parkedId: string; note: string; dismissedAt: string }>;

export type ParkedMessage = {
  status: 'none' | 'parked' | 'resolved' | 'dismissed';
  parkedId?: string;
  processManager?: string;
  eventId?: string;
  eventType?: string;
  command?: Command;
  reason?: { code: string; message: string };
  parkedAt?: string;
  attempts: number;
};

export type ParkedMessageCommand =
  | Command<
      'RecordRetryOutcome',
      { parkedId: string; outcome: 'resolved' | 'refused'; reason?: { code: string; message: string } }
    >
  | Command<'DismissParkedMessage', { parkedId: string; note: string }>;

export const parkedMessage: Decider<ParkedMessage, ParkedMessageCommand, ParkedMessageEvent> = {
  initialState: () => ({ status: 'none', attempts: 0 }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'MessageParked':
        return { ...event.data, status: 'parked', attempts: 1 };
      case 'ParkedMessageRetried':
        return {
          ...state,
          status: event.data.outcome === 'resolved' ? 'resolved' : 'parked',
          reason: event.data.reason ?? state.reason,
          attempts: state.attempts + 1,
        };
      case 'ParkedMessageDismissed':
        return { ...state, status: 'dismissed' };
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    if (state.status !== 'parked') {
      throw new DomainRefusal('NOT_PARKED', 'This message is not waiting: it was resolved or dismissed', 'conflict');
    }
    switch (command.type) {
      case 'RecordRetryOutcome':
        return { type: 'ParkedMessageRetried', data: { ...command.data, retriedAt: command.metadata.now } };
      case 'DismissParkedMessage':
        return { type: 'ParkedMessageDismissed', data: { ...command.data, dismissedAt: command.metadata.now } };
      default:
        return assertNever(command);
    }
  },
};

export const parkedStreamOf = (parkedId: string) => `parkedMessage-${parkedId}`;

export interface ProcessManagerRunnerOptions {
  bus: MessageBus;
  store: EventStore;
  dispatcher: CommandDispatcher;
  retry?: Partial<RetryPolicy>;
  /** Conflicts a command retries by re-reading before it gives up to the bus's redelivery. */
  conflictRetries?: number;
  onError?: (pm: string, error: unknown) => void;
}

/**
 * Consumes for each process manager and sends its commands. A command the target refuses is parked
 * (stored with its reason, never blocking the partition); anything else (the store down) is thrown so
 * the bus redelivers with back-off.
 */
export class ProcessManagerRunner {
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly options: ProcessManagerRunnerOptions) {}

  async start(managers: readonly ProcessManager[]): Promise<void> {
    for (const pm of managers) {
      const subscription = await this.options.bus.subscribe(
        { topics: pm.topics, groupId: `pm.${pm.name}`, fromBeginning: true, retry: this.options.retry },
        (delivery) => this.handle(pm, delivery.value),
      );
      subscription.done.catch((error) => this.options.onError?.(pm.name, error));
      this.subscriptions.push(subscription);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.close()));
  }

  async handle(pm: ProcessManager, event: BusEvent): Promise<void> {
    const commands = pm.react(event);
    for (const [index, command] of commands.entries()) {
      try {
        await this.options.dispatcher.dispatch(command, { retries: this.options.conflictRetries ?? 5 });
      } catch (error) {
        if (!(error instanceof DomainRefusal)) throw error;
        await this.park(pm, event, index, command, error);
      }
    }
  }

  private async park(pm: ProcessManager, event: BusEvent, index: number, command: Command, refusal: DomainRefusal) {
    const parkedId = deterministicUuid(`parked:${pm.name}:${event.id}:${index}`);
    const parked: ParkedMessageEvent = {
      type: 'MessageParked',
      data: {
        parkedId,
        processManager: pm.name,
        eventId: event.id,
        eventType: event.type,
        streamId: event.streamId,
        command,
        reason: { code: refusal.code, message: refusal.message },
        parkedAt: command.metadata.now,
      },
    };
    try {
      await this.options.store.appendToStream(
        parkedStreamOf(parkedId),
        [
          {
            id: deterministicUuid(`${parkedId}:parked`),
            type: parked.type,
            data: parked.data,
            metadata: { correlationId: event.metadata.correlationId, causationId: event.id, actor: processManagerActor(pm.name) },
            occurredAt: command.metadata.now,
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    } catch (error) {
      // Parked already by an earlier delivery: the same event id makes this a no-op.
      if (!(error instanceof Error && error.name === 'WrongExpectedRevision')) throw error;
    }
  }
}

/** Lists and retries parked messages. The hub's projection will replace `list` for large volumes. */
export class ParkingLot {
  constructor(
    private readonly store: EventStore,
    private readonly dispatcher: CommandDispatcher,
  ) {}

  async list(): Promise<ParkedMessage[]> {
    const events = await this.store.readAll({ categories: ['parkedMessage'] });
    const byId = new Map<string, ParkedMessage>();
    for (const event of events) {
      const id = (event.data as { parkedId: string }).parkedId;
      byId.set(id, parkedMessage.evolve(byId.get(id) ?? parkedMessage.initialState(), event as unknown as ParkedMessageEvent));
    }
    return [...byId.values()].filter((m) => m.status === 'parked');
  }

  async get(parkedId: string): Promise<ParkedMessage | undefined> {
    try {
      const events = await this.store.readStream(parkedStreamOf(parkedId));
      return events.reduce((s, e) => parkedMessage.evolve(s, e as unknown as ParkedMessageEvent), parkedMessage.initialState());
    } catch (error) {
      if (error instanceof StreamNotFound) return undefined;
      throw error;
    }
  }

  /** A person retries the stored command (after fixing what refused it); the outcome is recorded. */
  async retry(parkedId: string, by: Command['metadata']): Promise<'resolved' | 'refused'> {
    const message = await this.get(parkedId);
    if (!message) throw new DomainRefusal('NOT_FOUND', 'No such parked message', 'not_found');
    if (message.status !== 'parked') throw new DomainRefusal('NOT_PARKED', 'This message is not waiting', 'conflict');
    let outcome: 'resolved' | 'refused' = 'resolved';
    let reason: { code: string; message: string } | undefined;
    try {
      await this.dispatcher.dispatch(message.command!, { retries: 3 });
    } catch (error) {
      if (!(error instanceof DomainRefusal)) throw error;
      outcome = 'refused';
      reason = { code: error.code, message: error.message };
    }
    await this.dispatcher.dispatch(
      {
        type: 'RecordRetryOutcome',
        data: { parkedId, outcome, reason },
        metadata: { ...by, commandId: `${by.commandId}:outcome` },
      },
      { retries: 3 },
    );
    return outcome;
  }
}

/** Registers the parking lot's own commands. */
export const registerParkingLot = (dispatcher: CommandDispatcher) =>
  dispatcher.register<ParkedMessage, ParkedMessageCommand, ParkedMessageEvent>(['RecordRetryOutcome', 'DismissParkedMessage'], {
    decider: parkedMessage,
    streamOf: (command) => parkedStreamOf(command.data.parkedId),
  });
