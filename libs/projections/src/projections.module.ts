import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { join } from 'node:path';
import type { EventStore } from '@app/event-sourcing';
import { LiveProjection } from './live-projection';
import type { Projection } from './projection';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';

export const PROJECTION_STORE = Symbol('PROJECTION_STORE');
export const PROJECTIONS = Symbol('PROJECTIONS');

/** Every live read model of the deployment, by name. */
@Injectable()
export class ProjectionRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly live = new Map<string, LiveProjection<unknown>>();
  private readonly snapshots: SqliteSnapshotStore;

  constructor(
    @Inject(PROJECTION_STORE) store: EventStore,
    @Inject(PROJECTIONS)
    private readonly options: { projections: readonly Projection<unknown>[]; dataDir: string; snapshotEvery?: number },
  ) {
    this.snapshots = new SqliteSnapshotStore(join(options.dataDir, 'snapshots.sqlite'));
    for (const projection of options.projections) {
      this.live.set(
        projection.name,
        new LiveProjection(projection, { store, snapshots: this.snapshots, snapshotEvery: options.snapshotEvery }),
      );
    }
  }

  get<View>(name: string): LiveProjection<View> {
    const projection = this.live.get(name);
    if (!projection) throw new Error(`No projection named ${name}`);
    return projection as LiveProjection<View>;
  }

  all(): LiveProjection<unknown>[] {
    return [...this.live.values()];
  }

  async onApplicationBootstrap() {
    await Promise.all(this.all().map((p) => p.start()));
  }

  /** Each projection snapshots where it got to, so the next start is quick. */
  async onApplicationShutdown() {
    await Promise.all(this.all().map((p) => p.stop()));
    this.snapshots.close();
  }
}

/** Read models are folded from the event store given as `store` (the deployment's EVENT_STORE token). */
@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(options: {
    storeToken: symbol;
    projections: readonly Projection<unknown>[];
    dataDir: string;
    snapshotEvery?: number;
  }): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [
        { provide: PROJECTION_STORE, useExisting: options.storeToken },
        { provide: PROJECTIONS, useValue: options },
        ProjectionRegistry,
      ],
      exports: [ProjectionRegistry],
    };
  }
}
