import { Global, Module } from '@nestjs/common';
import { CLOCK, SystemClock } from './clock';

/**
 * Provides the clock port as `CLOCK`. Kept out of the index so pure code can import `@app/time`
 * without pulling in Nest. Tests swap it with `.overrideProvider(CLOCK).useValue(new ControllableClock())`.
 */
@Global()
@Module({ providers: [{ provide: CLOCK, useClass: SystemClock }], exports: [CLOCK] })
export class ClockModule {}
