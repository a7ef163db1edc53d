/** Where a subscriber (projection, relay) remembers how far it got. Positions are exclusive resume points. */
export interface CheckpointStore {
  load(name: string): Promise<bigint | undefined>;
  store(name: string, position: bigint): Promise<void>;
}

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly positions = new Map<string, bigint>();
  async load(name: string) {
    return this.positions.get(name);
  }
  async store(name: string, position: bigint) {
    this.positions.set(name, position);
  }
}
