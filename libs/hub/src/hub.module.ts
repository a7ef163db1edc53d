import { Module } from '@nestjs/common';
import { HubController } from './hub.controller';

/** The hub's query API over the projections. It appends no domain events. */
@Module({ controllers: [HubController] })
export class HubModule {}
