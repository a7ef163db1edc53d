import type { RecordedEvent } from '@app/event-sourcing';

/**
 * A read model: a pure fold over the events of some categories, in global order. The engine hands each
 * event once, in position order, so `evolve` never sees a (streamId, revision) twice.
 */
export interface Projection<View> {
  name: string;
  /** Bump when the view's shape or meaning changes: older snapshots are then ignored and the view rebuilt. */
  version: number;
  categories: readonly string[];
  initial(): View;
  evolve(view: View, event: RecordedEvent): View;
  /** Snapshots are JSON; views holding Maps or bigints say how to write and read them. */
  toSnapshot?(view: View): unknown;
  fromSnapshot?(json: unknown): View;
}

export interface Snapshot {
  projection: string;
  version: number;
  /** Position of the last event folded in. */
  position: bigint;
  /** recordedAt of that event: what the hub knew by then. */
  knownAt: string;
  state: unknown;
}

export interface SnapshotStore {
  save(snapshot: Snapshot): Promise<void>;
  /** The newest snapshot, or the newest known at or before `knownAt`. */
  latest(projection: string, version: number, knownAt?: string): Promise<Snapshot | undefined>;
  /** Keeps the newest `keep` snapshots of a projection and drops the rest. */
  prune(projection: string, version: number, keep: number): Promise<void>;
}
