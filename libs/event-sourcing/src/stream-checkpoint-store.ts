import { randomUUID } from 'node:crypto';
import type { CheckpointStore } from './checkpoints';
import { StreamNotFound } from './errors';
import type { EventStore } from './event-store';

/**
 * Checkpoints kept as events in `checkpoint-<name>` streams, for stores with no side tables
 * (EventStoreDB). Readers of $all filter by category, so these never reach a projection.
 */
export class StreamCheckpointStore implements CheckpointStore {
  constructor(private readonly events: EventStore) {}

  async load(name: string): Promise<bigint | undefined> {
    try {
      const [last] = await this.events.readStream(this.streamOf(name), { direction: 'backwards', maxCount: 1 });
      return last ? BigInt((last.data as { position: string }).position) : undefined;
    } catch (error) {
      if (error instanceof StreamNotFound) return undefined;
      throw error;
    }
  }

  async store(name: string, position: bigint): Promise<void> {
    const actor = { userId: `checkpoint:${name}`, role: 'system' as const, organisation: 'TOCH' };
    await this.events.appendToStream(
      this.streamOf(name),
      [
        {
          id: randomUUID(),
          type: 'CheckpointStored',
          data: { position: position.toString() },
          metadata: { correlationId: name, causationId: name, actor },
          occurredAt: new Date().toISOString(),
        },
      ],
      { expectedRevision: 'any' },
    );
  }

  private streamOf(name: string) {
    return `checkpoint-${name.replace(/[^A-Za-z0-9._:-]/g, '_')}`;
  }
}
