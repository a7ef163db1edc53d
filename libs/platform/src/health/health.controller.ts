import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { EventStore } from '@app/event-sourcing';
import { Public } from '../auth/decorators';
import { shutdownState } from '../shutdown';
import { EVENT_STORE } from '../store/event-store.module';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The process is up. Orchestrators restart it when this fails. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** The process can serve: its event store answers. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('eventStore');
        if (shutdownState.draining) return indicator.down({ message: 'shutting down' });
        try {
          const head = await this.store.headPosition();
          return indicator.up({ headPosition: head === undefined ? null : head.toString() });
        } catch (error) {
          return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
        }
      },
    ]);
  }
}
