import { Module, type DynamicModule } from '@nestjs/common';
import { caseList, dischargeContext } from '@app/discharge';
import { DischargeModule } from '@app/discharge/discharge.module';
import { IdentityModule } from '@app/identity';
import { EVENT_STORE, PlatformModule, type PlatformOptions } from '@app/platform';
import { ProjectionsModule } from '@app/projections/projections.module';
import { loadReferenceData } from '@app/reference-data';

/** The discharge context on its own: cases, patient records and the acute activity feed. */
@Module({})
export class DischargeServiceModule {
  static forRoot(options: Omit<PlatformOptions, 'contexts'>): DynamicModule {
    const referenceData = loadReferenceData();
    return {
      module: DischargeServiceModule,
      imports: [
        PlatformModule.forRoot({ ...options, contexts: [dischargeContext(referenceData)] }),
        IdentityModule.forRoot(options.env),
        ProjectionsModule.forRoot({ storeToken: EVENT_STORE, projections: [caseList], dataDir: options.env.DATA_DIR }),
        DischargeModule,
      ],
    };
  }
}
