import { Module } from '@nestjs/common';
import { HubController } from './hub.controller';
import { KpisController } from './kpis.controller';

/** The hub's query API over the projections. It appends no domain events. */
@Module({ controllers: [HubController, KpisController] })
export class HubModule {}
