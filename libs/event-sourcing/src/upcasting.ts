import type { RecordedEvent } from './envelope';

/** Turns the data of one schema version into the next one's. */
export type Upcaster = (data: unknown, event: RecordedEvent) => unknown;

/**
 * Old events stay as they were written; readers see the current shape.
 * Register one step per version: v1→v2, v2→v3, … .
 */
export class Upcasters {
  private readonly steps = new Map<string, Map<number, Upcaster>>();

  register(type: string, fromVersion: number, upcast: Upcaster): this {
    let byVersion = this.steps.get(type);
    if (!byVersion) this.steps.set(type, (byVersion = new Map()));
    if (byVersion.has(fromVersion)) throw new Error(`An upcaster for ${type} v${fromVersion} is already registered`);
    byVersion.set(fromVersion, upcast);
    return this;
  }

  currentVersion(type: string): number {
    const byVersion = this.steps.get(type);
    return byVersion ? Math.max(...byVersion.keys()) + 1 : 1;
  }

  upcast<E extends RecordedEvent>(event: E): E {
    const byVersion = this.steps.get(event.type);
    if (!byVersion) return event;
    let current = event;
    for (let step = byVersion.get(current.schemaVersion); step; step = byVersion.get(current.schemaVersion)) {
      current = { ...current, data: step(current.data, current), schemaVersion: current.schemaVersion + 1 };
    }
    return current;
  }
}

export const noUpcasting = new Upcasters();
