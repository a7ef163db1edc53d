import { Module, type DynamicModule } from '@nestjs/common';
import { bedBaseContext } from '@app/bed-base';
import { communityReferralMeasures, communityReferralsContext } from '@app/community-referrals';
import { CommunityReferralsModule } from '@app/community-referrals/community-referrals.module';
import { dischargeContext } from '@app/discharge';
import { homeCareContext } from '@app/home-care';
import { IdentityModule } from '@app/identity';
import { EVENT_STORE, PlatformModule, type PlatformOptions } from '@app/platform';
import { ProjectionsModule } from '@app/projections/projections.module';
import { loadReferenceData } from '@app/reference-data';

/** Step-up and end-of-life referrals on their own. They request beds and packages from the other contexts. */
@Module({})
export class CommunityReferralsServiceModule {
  static forRoot(options: Omit<PlatformOptions, 'contexts'>): DynamicModule {
    const referenceData = loadReferenceData();
    return {
      module: CommunityReferralsServiceModule,
      imports: [
        PlatformModule.forRoot({
          ...options,
          contexts: [communityReferralsContext(referenceData)],
          commandsOf: [dischargeContext(referenceData), bedBaseContext(referenceData), homeCareContext(referenceData)],
        }),
        IdentityModule.forRoot(options.env),
        ProjectionsModule.forRoot({
          storeToken: EVENT_STORE,
          projections: [communityReferralMeasures],
          dataDir: options.env.DATA_DIR,
        }),
        CommunityReferralsModule,
      ],
    };
  }
}
