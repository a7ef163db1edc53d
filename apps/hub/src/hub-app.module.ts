import { Module, type DynamicModule } from '@nestjs/common';
import { bedBaseContext, bedBoard } from '@app/bed-base';
import { communityReferralMeasures, communityReferralsContext } from '@app/community-referrals';
import { caseList, dischargeContext } from '@app/discharge';
import { homeCareContext, homeCareView } from '@app/home-care';
import { capacityKpis, dischargeKpis, HubModule, pathwayShares } from '@app/hub';
import { EVENT_STORE, PlatformModule, type PlatformOptions } from '@app/platform';
import { ProjectionsModule } from '@app/projections/projections.module';
import { loadReferenceData } from '@app/reference-data';

/**
 * The coordinating hub on its own: every projection from $all, the query API, the live feed and the web
 * UI. It runs no context and appends no domain events; it routes commands only to retry parked messages.
 */
@Module({})
export class HubAppModule {
  static forRoot(options: Omit<PlatformOptions, 'contexts'>): DynamicModule {
    const referenceData = loadReferenceData();
    return {
      module: HubAppModule,
      imports: [
        PlatformModule.forRoot({
          ...options,
          contexts: [],
          commandsOf: [
            dischargeContext(referenceData),
            bedBaseContext(referenceData),
            homeCareContext(referenceData),
            communityReferralsContext(referenceData),
          ],
        }),
        ProjectionsModule.forRoot({
          storeToken: EVENT_STORE,
          projections: [caseList, pathwayShares, dischargeKpis, homeCareView, bedBoard, communityReferralMeasures, capacityKpis],
          dataDir: options.env.DATA_DIR,
        }),
        HubModule,
      ],
    };
  }
}
