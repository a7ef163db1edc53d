import type { ExpectedRevision, IdempotentAppend } from './event-store';

export class WrongExpectedRevision extends Error {
  override readonly name = 'WrongExpectedRevision';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or 'no_stream' when it does not exist. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, but it is at ${String(actual)}`);
  }
}

export class StreamNotFound extends Error {
  override readonly name = 'StreamNotFound';
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} does not exist`);
  }
}

/** An append the store refuses before writing anything: bad id, bad stream name, empty batch. */
export class InvalidAppend extends Error {
  override readonly name = 'InvalidAppend';
}

export class EventStoreUnavailable extends Error {
  override readonly name = 'EventStoreUnavailable';
}

/** The idempotency key was already used; the first append's outcome is attached. */
export class IdempotencyKeyUsed extends Error {
  override readonly name = 'IdempotencyKeyUsed';
  constructor(readonly record: IdempotentAppend) {
    super(`Idempotency key was already used for ${record.streamId}`);
  }
}
