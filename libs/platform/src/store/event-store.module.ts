import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { SqliteEventStore, StreamCheckpointStore, type CheckpointStore, type EventStore } from '@app/event-sourcing';
import { CLOCK, type Clock } from '../clock';
import type { Environment } from '../config/environment';

/** Injection token for the event store port. */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** Where relays and other subscribers keep their positions: beside the events in SQLite, in streams on EventStoreDB. */
export const CHECKPOINTS = Symbol('CHECKPOINTS');

type StoreSettings = Pick<Environment, 'EVENT_STORE' | 'DATA_DIR' | 'SQLITE_SYNCHRONOUS' | 'EVENTSTORE_CONNECTION_STRING'>;

/** `clock` stamps recordedAt (SQLite): the same clock as commands' `now`, so as-of queries agree with it. */
export function createEventStore(env: StoreSettings, clock?: Clock): EventStore {
  if (env.EVENT_STORE === 'eventstoredb') {
    // Loaded only when asked for, so the embedded default never pulls in gRPC.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EventStoreDbEventStore } = require('@app/event-sourcing/eventstoredb/eventstoredb-event-store');
    return new EventStoreDbEventStore(env.EVENTSTORE_CONNECTION_STRING);
  }
  return new SqliteEventStore({
    filename: join(env.DATA_DIR, 'hub.sqlite'),
    synchronous: env.SQLITE_SYNCHRONOUS,
    clock: clock && (() => clock.now()),
  });
}

@Injectable()
class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown() {
    await this.store.close();
  }
}

@Global()
@Module({})
export class EventStoreModule {
  static forRoot(env: StoreSettings): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: EVENT_STORE, inject: [CLOCK], useFactory: (clock: Clock) => createEventStore(env, clock) },
        {
          provide: CHECKPOINTS,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore): CheckpointStore =>
            store instanceof SqliteEventStore ? store : new StreamCheckpointStore(store),
        },
        EventStoreLifecycle,
      ],
      exports: [EVENT_STORE, CHECKPOINTS],
    };
  }
}
