import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import type { Environment } from '@app/platform/config/environment';
import { resolveMasterKey } from './master-key';
import { PATIENT_VAULT, type PatientVault } from './patient-vault';
import { SqlitePatientVault } from './sqlite/sqlite-patient-vault';

type IdentitySettings = Pick<Environment, 'MASTER_KEY' | 'DATA_DIR' | 'NODE_ENV'>;

/** Its own file, apart from the events: backups and retention of keys can then differ from those of events. */
export const IDENTITY_DATABASE_FILE = 'identity.sqlite';

export function createPatientVault(env: IdentitySettings): PatientVault {
  return SqlitePatientVault.open({ filename: join(env.DATA_DIR, IDENTITY_DATABASE_FILE), masterKey: resolveMasterKey(env) });
}

@Injectable()
class PatientVaultLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PATIENT_VAULT) private readonly vault: PatientVault) {}
  async onApplicationShutdown() {
    await this.vault.close();
  }
}

@Global()
@Module({})
export class IdentityModule {
  static forRoot(env: IdentitySettings): DynamicModule {
    return {
      module: IdentityModule,
      providers: [{ provide: PATIENT_VAULT, useFactory: () => createPatientVault(env) }, PatientVaultLifecycle],
      exports: [PATIENT_VAULT],
    };
  }
}
