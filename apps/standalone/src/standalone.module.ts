import { Module, type DynamicModule } from '@nestjs/common';
import { bedBaseContext, bedBoard } from '@app/bed-base';
import { BedBaseModule as BedBaseHttpModule } from '@app/bed-base/bed-base.module';
import { communityReferralMeasures, communityReferralsContext } from '@app/community-referrals';
import { CommunityReferralsModule as CommunityReferralsHttpModule } from '@app/community-referrals/community-referrals.module';
import { caseList, dischargeContext } from '@app/discharge';
import { DischargeModule as DischargeHttpModule } from '@app/discharge/discharge.module';
import { homeCareContext, homeCareView } from '@app/home-care';
import { HomeCareModule as HomeCareHttpModule } from '@app/home-care/http/home-care.module';
import { capacityKpis, dischargeKpis, HubModule, pathwayShares } from '@app/hub';
import { IdentityModule } from '@app/identity';
import { EVENT_STORE, PlatformModule, type PlatformOptions } from '@app/platform';
import { ProjectionsModule } from '@app/projections/projections.module';
import { loadReferenceData } from '@app/reference-data';

/** Every context and the hub in one process, on the SQLite store and the in-process bus. */
@Module({})
export class StandaloneModule {
  static forRoot(options: Omit<PlatformOptions, 'contexts'>): DynamicModule {
    const referenceData = loadReferenceData();
    return {
      module: StandaloneModule,
      imports: [
        PlatformModule.forRoot({
          ...options,
          contexts: [
            dischargeContext(referenceData),
            homeCareContext(referenceData),
            bedBaseContext(referenceData),
            communityReferralsContext(referenceData),
          ],
        }),
        IdentityModule.forRoot(options.env),
        ProjectionsModule.forRoot({
          storeToken: EVENT_STORE,
          projections: [caseList, pathwayShares, dischargeKpis, homeCareView, bedBoard, communityReferralMeasures, capacityKpis],
          dataDir: options.env.DATA_DIR,
        }),
        DischargeHttpModule,
        HomeCareHttpModule,
        BedBaseHttpModule,
        CommunityReferralsHttpModule,
        HubModule,
      ],
    };
  }
}
