import 'reflect-metadata';
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
  const app = await createApp(StandaloneModule.forRoot({ env }), { env });
  await app.listen({ port: env.PORT, host: env.HOST });
  const url = `http://${env.HOST}:${env.PORT}`;
  console.log(`Transfer of Care hub (standalone) on ${url}  ·  API docs ${url}/api/docs  ·  data in ${env.DATA_DIR}`);
}

main().catch((error) => {
  console.error('Start-up failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
