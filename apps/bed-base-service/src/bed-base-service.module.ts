import { Module, type DynamicModule } from '@nestjs/common';
import { bedBaseContext, bedBoard } from '@app/bed-base';
import { BedBaseModule } from '@app/bed-base/bed-base.module';
import { dischargeContext } from '@app/discharge';
import { EVENT_STORE, PlatformModule, type PlatformOptions } from '@app/platform';
import { ProjectionsModule } from '@app/projections/projections.module';
import { loadReferenceData } from '@app/reference-data';

/** The single bed base on its own. Its process managers arrange placements on discharge cases. */
@Module({})
export class BedBaseServiceModule {
  static forRoot(options: Omit<PlatformOptions, 'contexts'>): DynamicModule {
    const referenceData = loadReferenceData();
    return {
      module: BedBaseServiceModule,
      imports: [
        PlatformModule.forRoot({
          ...options,
          contexts: [bedBaseContext(referenceData)],
          commandsOf: [dischargeContext(referenceData)],
        }),
        ProjectionsModule.forRoot({ storeToken: EVENT_STORE, projections: [bedBoard], dataDir: options.env.DATA_DIR }),
        BedBaseModule,
      ],
    };
  }
}
