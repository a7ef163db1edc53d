import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, InvalidConfiguration, validateEnvironment } from '@app/platform';
import { StandaloneModule } from './standalone.module';

async function main() {
  let env;
  try {
    env = validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof InvalidConfiguration) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  // The web UI, built by `npm run build:web` into dist/web (this file runs from dist/apps/standalone/src).
  const webRoot = join(__dirname, '..', '..', '..', 'web');
  const hasWeb = existsSync(join(webRoot, 'index.html'));
  if (!hasWeb) console.warn(`No web UI in ${webRoot}: run npm run build:web to serve it at /`);
  const app = await createApp(StandaloneModule.forRoot({ env }), { env, webRoot: hasWeb ? webRoot : undefined });
  await app.listen({ port: env.PORT, host: env.HOST });
  const url = `http://${env.HOST}:${env.PORT}`;
  console.log(`Transfer of Care hub (standalone) on ${url}  ·  API docs ${url}/api/docs  ·  data in ${env.DATA_DIR}`);
}

main().catch((error) => {
  console.error('Start-up failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
