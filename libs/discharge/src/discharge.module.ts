import { Module } from '@nestjs/common';
import { ActivityFeedController } from './activity-feed.controller';
import { DischargeCaseService } from './discharge-case.service';
import { DischargeCasesController } from './discharge-cases.controller';

/** The discharge context's HTTP layer. Its commands, process managers and deadlines come from dischargeContext(). */
@Module({ controllers: [DischargeCasesController, ActivityFeedController], providers: [DischargeCaseService] })
export class DischargeModule {}
