import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { Environment } from './environment';

/** The environment is validated once, before Nest starts, and then served by ConfigService. */
@Module({})
export class PlatformConfigModule {
  static forRoot(env: Environment): DynamicModule {
    return {
      module: PlatformConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, ignoreEnvVars: true, load: [() => ({ ...env })] })],
    };
  }
}
