import { Module, type DynamicModule } from '@nestjs/common';
import type { DeadlineRule } from './deadline';
import { DEADLINE_RULES, DEADLINE_TICK_MS, DeadlineScheduler } from './deadline-scheduler';

/** One scheduler per process, for every context's deadline rules. */
@Module({})
export class DeadlinesModule {
  static forRoot({ rules, tickMs = 1000 }: { rules: DeadlineRule[]; tickMs?: number }): DynamicModule {
    return {
      module: DeadlinesModule,
      providers: [
        { provide: DEADLINE_RULES, useValue: rules },
        { provide: DEADLINE_TICK_MS, useValue: tickMs },
        DeadlineScheduler,
      ],
      exports: [DeadlineScheduler],
    };
  }
}
