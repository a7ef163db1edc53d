import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runApp } from '@app/platform';
import { HubAppModule } from './hub-app.module';

// The web UI, built by `npm run build:web` into dist/web (this file runs from dist/apps/hub/src).
const webRoot = join(__dirname, '..', '..', '..', 'web');
void runApp('hub', (env) => HubAppModule.forRoot({ env }), {
  webRoot: existsSync(join(webRoot, 'index.html')) ? webRoot : undefined,
});
