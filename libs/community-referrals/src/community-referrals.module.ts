import { Module } from '@nestjs/common';
import { CommunityReferralsController } from './community-referrals.controller';
import { CommunityReferralsService } from './community-referrals.service';

/** The community-referrals HTTP layer. Its commands, process managers and deadline come from communityReferralsContext(). */
@Module({ controllers: [CommunityReferralsController], providers: [CommunityReferralsService] })
export class CommunityReferralsModule {}
