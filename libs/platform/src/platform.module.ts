import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandRunner, type EventStore } from '@app/event-sourcing';
import { AuthModule } from './auth/auth.module';
import { CLOCK, systemClock, type Clock } from './clock';
import { PlatformConfigModule } from './config/config.module';
import type { Environment } from './config/environment';
import { HealthModule } from './health/health.module';
import { CommandGateway } from './http/command-gateway';
import { ProblemFilter } from './http/problem.filter';
import { PlatformLoggingModule } from './logging.module';
import { EVENT_STORE, EventStoreModule } from './store/event-store.module';

export interface PlatformOptions {
  env: Environment;
  clock?: Clock;
}

/** What every deployable shares: configuration, logs, the store, health, sign-in, errors, commands. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot({ env, clock = systemClock }: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        PlatformConfigModule.forRoot(env),
        PlatformLoggingModule,
        EventStoreModule.forRoot(env),
        HealthModule,
        AuthModule.forRoot(env),
        CqrsModule.forRoot(),
      ],
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: CommandRunner, inject: [EVENT_STORE], useFactory: (store: EventStore) => new CommandRunner(store) },
        { provide: APP_FILTER, useClass: ProblemFilter },
        CommandGateway,
      ],
      exports: [CLOCK, CommandRunner, CommandGateway, CqrsModule],
    };
  }
}
