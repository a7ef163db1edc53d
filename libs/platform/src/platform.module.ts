import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandDispatcher, CommandRunner, type EventStore } from '@app/event-sourcing';
import { ReferenceDataModule } from '@app/reference-data/reference-data.module';
import { AuthModule } from './auth/auth.module';
import { CLOCK, systemClock, type Clock } from './clock';
import { PlatformConfigModule } from './config/config.module';
import type { Environment } from './config/environment';
import { HealthModule } from './health/health.module';
import { CommandGateway } from './http/command-gateway';
import { ProblemFilter } from './http/problem.filter';
import { PlatformLoggingModule } from './logging.module';
import type { ContextDefinition } from './context';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { MessagingModule } from './messaging/messaging.module';
import { EVENT_STORE, EventStoreModule } from './store/event-store.module';
import { ReferenceDataController } from './reference-data.controller';
import { AccessAudit, accessAuditProviders } from './audit/access-audit';
import { AccessAuditController } from './audit/access-audit.controller';

export interface PlatformOptions {
  env: Environment;
  clock?: Clock;
  /** The bounded contexts this deployment runs: their relays, process managers, deadlines and commands. */
  contexts?: readonly ContextDefinition[];
  /**
   * Contexts whose commands this deployment may send without running them, e.g. a bed-base service's
   * process manager arranging a placement on a discharge case. All contexts share one event store, so
   * the command is decided by its own pure decider against its own stream.
   */
  commandsOf?: readonly ContextDefinition[];
  /** How often the deadline scheduler looks for due deadlines. Default 1 s. */
  deadlineTickMs?: number;
}

/** What every deployable shares: configuration, logs, the store, health, sign-in and rate limits, errors, commands, the access audit. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot({ env, clock = systemClock, contexts = [], commandsOf = [], deadlineTickMs }: PlatformOptions): DynamicModule {
    const routed = [...contexts, ...commandsOf.filter((c) => !contexts.some((own) => own.context === c.context))];
    return {
      module: PlatformModule,
      imports: [
        PlatformConfigModule.forRoot(env),
        PlatformLoggingModule,
        EventStoreModule.forRoot(env),
        HealthModule,
        AuthModule.forRoot(env),
        CqrsModule.forRoot(),
        ReferenceDataModule,
        MessagingModule.forRoot(env, contexts, routed),
        DeadlinesModule.forRoot({ rules: contexts.flatMap((c) => c.deadlineRules ?? []), tickMs: deadlineTickMs }),
      ],
      controllers: [ReferenceDataController, AccessAuditController],
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: CommandRunner, inject: [EVENT_STORE], useFactory: (store: EventStore) => new CommandRunner(store) },
        {
          provide: CommandDispatcher,
          inject: [CommandRunner],
          useFactory: (runner: CommandRunner) => {
            const dispatcher = new CommandDispatcher(runner);
            for (const context of routed) context.registerCommands?.(dispatcher);
            return dispatcher;
          },
        },
        { provide: APP_FILTER, useClass: ProblemFilter },
        CommandGateway,
        ...accessAuditProviders(env),
      ],
      exports: [
        CLOCK,
        CommandRunner,
        CommandDispatcher,
        CommandGateway,
        CqrsModule,
        MessagingModule,
        DeadlinesModule,
        AccessAudit,
      ],
    };
  }
}
