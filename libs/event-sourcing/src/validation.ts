import { isUuid, type NewEvent } from './envelope';
import { InvalidAppend } from './errors';
import type { ExpectedRevision } from './event-store';

const STREAM_ID = /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9._:-]+)?$/;

/** Checks shared by every adapter, so that each refuses the same appends in the same words. */
export const assertValidAppend = (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): void => {
  if (!STREAM_ID.test(streamId) || streamId.length > 200) {
    throw new InvalidAppend(`Stream id "${streamId}" must be <category>-<id>, start with a letter, and not start with $`);
  }
  if (events.length === 0) throw new InvalidAppend(`An append to ${streamId} must carry at least one event`);
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new InvalidAppend(`Expected revision ${expected} must be a whole number of 0 or more`);
  }
  const seen = new Set<string>();
  for (const event of events) {
    if (!isUuid(event.id)) throw new InvalidAppend(`Event id "${event.id}" must be a UUID`);
    if (seen.has(event.id)) throw new InvalidAppend(`Event id ${event.id} appears twice in one append`);
    seen.add(event.id);
    if (!event.type || event.type.startsWith('$')) throw new InvalidAppend(`Event type "${event.type}" is reserved or empty`);
    if (event.schemaVersion !== undefined && (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1)) {
      throw new InvalidAppend(`Event ${event.type} schemaVersion must be a whole number of 1 or more`);
    }
  }
};
