import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type PlatformOptions } from '@app/platform';

/** Every context and the hub in one process, on the SQLite store and the in-process bus. */
@Module({})
export class StandaloneModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return { module: StandaloneModule, imports: [PlatformModule.forRoot(options)] };
  }
}
