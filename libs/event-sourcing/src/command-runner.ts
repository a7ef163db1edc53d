import { createHash } from 'node:crypto';
import type { Command, Decider, DomainEvent } from './decider';
import type { NewEvent, RecordedEvent } from './envelope';
import { IdempotencyKeyUsed, StreamNotFound, WrongExpectedRevision } from './errors';
import type { EventStore, IdempotentAppend } from './event-store';
import { noUpcasting, type Upcasters } from './upcasting';

export interface RunOptions {
  /** The revision the caller last saw (If-Match). A mismatch is a conflict, never retried. */
  expectedRevision?: number;
  /** Already scoped to the caller. Recorded with the append, in the same transaction where the store can. */
  idempotency?: { key: string; fingerprint: string };
  /** Conflicts retried by re-reading and re-deciding. For internal callers; people get a 409. */
  retries?: number;
  /**
   * The command creates its stream (a process manager's stream derived from the triggering event id):
   * if the stream already exists, this is a redelivery and nothing is decided.
   */
  createOnly?: boolean;
}

/** One event a command wrote, as its caller needs it. */
export interface WrittenEvent {
  id: string;
  type: string;
  revision: number;
  data: unknown;
  occurredAt: string;
}

export interface CommandOutcome<State> {
  streamId: string;
  /** The events this command wrote (or, for a replay, the ones its first attempt wrote). */
  events: WrittenEvent[];
  /** The stream's revision after the command; undefined when the stream still does not exist. */
  revision: number | undefined;
  /** Global position of the last event written, when the command wrote any. */
  position?: bigint;
  state: State;
  /** True when an idempotent retry returned the first attempt's outcome. */
  replayed: boolean;
}

/** The same request id sent with a different request. */
export class IdempotencyKeyReused extends Error {
  override readonly name = 'IdempotencyKeyReused';
}

/** A UUID derived from a name (RFC 4122 v5 layout over SHA-1), so retries produce the same event ids. */
export const deterministicUuid = (name: string): string => {
  const hash = createHash('sha1').update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * Load, fold, decide, append with the expected revision. Owns nothing else: the decider is pure and
 * the caller maps errors to responses.
 */
export class CommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly upcasters: Upcasters = noUpcasting,
  ) {}

  async run<State, C extends Command, E extends DomainEvent>(
    decider: Decider<State, C, E>,
    streamId: string,
    command: C,
    options: RunOptions = {},
  ): Promise<CommandOutcome<State>> {
    const replayed = await this.replayOf(decider, options.idempotency);
    if (replayed) return replayed;
    for (let attempt = 0; ; attempt++) {
      const { state, revision } = await this.load(decider, streamId);
      if (options.createOnly && revision !== undefined) return { streamId, events: [], revision, state, replayed: true };
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        throw new WrongExpectedRevision(streamId, options.expectedRevision, revision ?? 'no_stream');
      }
      const decided = decider.decide(command, state);
      const domainEvents = Array.isArray(decided) ? decided : [decided];
      if (domainEvents.length === 0) return { streamId, events: [], revision, state, replayed: false };

      const events = domainEvents.map((event, i) => this.envelope(command, event, i));
      try {
        const result = await this.store.appendToStream(streamId, events, {
          expectedRevision: options.createOnly ? 'no_stream' : (revision ?? 'no_stream'),
          idempotency: options.idempotency,
        });
        const firstRevision = result.nextExpectedRevision - events.length + 1;
        return {
          streamId,
          events: events.map((e, i) => ({
            id: e.id,
            type: e.type,
            revision: firstRevision + i,
            data: e.data,
            occurredAt: e.occurredAt,
          })),
          revision: result.nextExpectedRevision,
          position: result.position,
          state: domainEvents.reduce(decider.evolve, state),
          replayed: false,
        };
      } catch (error) {
        if (error instanceof IdempotencyKeyUsed) return this.replay(decider, error.record, options.idempotency!.fingerprint);
        const retry =
          error instanceof WrongExpectedRevision && options.expectedRevision === undefined && attempt < (options.retries ?? 0);
        if (!retry) throw error;
      }
    }
  }

  /** The first outcome of a request retried with the same idempotency key, if there was one. */
  async replayOf<State, C extends Command, E extends DomainEvent>(
    decider: Decider<State, C, E>,
    idempotency: RunOptions['idempotency'],
  ): Promise<CommandOutcome<State> | undefined> {
    if (!idempotency || !this.store.findIdempotentAppend) return undefined;
    const earlier = await this.store.findIdempotentAppend(idempotency.key);
    return earlier ? this.replay(decider, earlier, idempotency.fingerprint) : undefined;
  }

  async load<State, C extends Command, E extends DomainEvent>(
    decider: Decider<State, C, E>,
    streamId: string,
    upToRevision?: number,
  ): Promise<{ state: State; revision: number | undefined; events: RecordedEvent[] }> {
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamId);
    } catch (error) {
      if (error instanceof StreamNotFound) return { state: decider.initialState(), revision: undefined, events: [] };
      throw error;
    }
    if (upToRevision !== undefined) events = events.filter((e) => e.revision <= upToRevision);
    const state = events.reduce((s, e) => decider.evolve(s, e as unknown as E), decider.initialState());
    return { state, revision: events.length > 0 ? events[events.length - 1].revision : undefined, events };
  }

  private async replay<State, C extends Command, E extends DomainEvent>(
    decider: Decider<State, C, E>,
    earlier: IdempotentAppend,
    fingerprint: string,
  ): Promise<CommandOutcome<State>> {
    if (earlier.fingerprint !== fingerprint) {
      throw new IdempotencyKeyReused('This Idempotency-Key was already used for a different request');
    }
    const { state, events } = await this.load(decider, earlier.streamId, earlier.result.nextExpectedRevision);
    return {
      streamId: earlier.streamId,
      events: events
        .filter((e) => e.revision >= earlier.firstRevision)
        .map((e) => ({ id: e.id, type: e.type, revision: e.revision, data: e.data, occurredAt: e.occurredAt })),
      revision: earlier.result.nextExpectedRevision,
      position: earlier.result.position,
      state,
      replayed: true,
    };
  }

  private envelope(command: Command, event: DomainEvent, index: number): NewEvent {
    return {
      id: deterministicUuid(`${command.metadata.commandId}:${index}`),
      type: event.type,
      schemaVersion: this.upcasters.currentVersion(event.type),
      data: event.data,
      metadata: {
        correlationId: command.metadata.correlationId,
        causationId: command.metadata.causationId ?? command.metadata.commandId,
        actor: command.metadata.actor,
      },
      occurredAt: command.metadata.now,
    };
  }
}
