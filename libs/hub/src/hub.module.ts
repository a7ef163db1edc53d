import { Module } from '@nestjs/common';
import { HubController } from './hub.controller';
import { KpisController } from './kpis.controller';
import { LiveFeedGateway } from './live/live-feed.gateway';

/** The hub's query API over the projections, and the live feed that pushes their changes. It appends no domain events. */
@Module({ controllers: [HubController, KpisController], providers: [LiveFeedGateway] })
export class HubModule {}
