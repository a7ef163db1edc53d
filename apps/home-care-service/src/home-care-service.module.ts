import { Module, type DynamicModule } from '@nestjs/common';
import { dischargeContext } from '@app/discharge';
import { homeCareContext, homeCareView } from '@app/home-care';
import { HomeCareModule } from '@app/home-care/http/home-care.module';
import { EVENT_STORE, PlatformModule, type PlatformOptions } from '@app/platform';
import { ProjectionsModule } from '@app/projections/projections.module';
import { loadReferenceData } from '@app/reference-data';

/** D2A home care on its own. Its process managers arrange placements on discharge cases. */
@Module({})
export class HomeCareServiceModule {
  static forRoot(options: Omit<PlatformOptions, 'contexts'>): DynamicModule {
    const referenceData = loadReferenceData();
    return {
      module: HomeCareServiceModule,
      imports: [
        PlatformModule.forRoot({
          ...options,
          contexts: [homeCareContext(referenceData)],
          commandsOf: [dischargeContext(referenceData)],
        }),
        ProjectionsModule.forRoot({ storeToken: EVENT_STORE, projections: [homeCareView], dataDir: options.env.DATA_DIR }),
        HomeCareModule,
      ],
    };
  }
}
