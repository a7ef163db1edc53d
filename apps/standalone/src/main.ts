import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runApp } from '@app/platform';
import { StandaloneModule } from './standalone.module';

// The web UI, built by `npm run build:web` into dist/web (this file runs from dist/apps/standalone/src).
const webRoot = join(__dirname, '..', '..', '..', 'web');
const hasWeb = existsSync(join(webRoot, 'index.html'));
if (!hasWeb) console.warn(`No web UI in ${webRoot}: run npm run build:web to serve it at /`);
void runApp('standalone', (env) => StandaloneModule.forRoot({ env }), { webRoot: hasWeb ? webRoot : undefined });
