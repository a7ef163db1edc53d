import { Module } from '@nestjs/common';
import { BedBaseController } from './bed-base.controller';
import { BedBaseSeed } from './bed-base-seed';
import { BedBaseService } from './bed-base.service';

/**
 * The bed-base context's HTTP layer and its first-start seed. Its commands, process managers and deadline
 * come from bedBaseContext(); its views from the `bed-board` projection.
 */
@Module({ controllers: [BedBaseController], providers: [BedBaseService, BedBaseSeed] })
export class BedBaseModule {}
