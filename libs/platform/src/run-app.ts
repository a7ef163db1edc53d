import type { Environment } from './config/environment';
import { InvalidConfiguration, validateEnvironment } from './config/environment';
import { createApp, type CreateAppOptions } from './create-app';

/**
 * main() for every deployable: validate the environment (a bad value stops with the variable named),
 * build the app the way the tests do, listen, and say where.
 */
export async function runApp(
  name: string,
  build: (env: Environment) => unknown,
  options: Omit<CreateAppOptions, 'env' | 'title'> = {},
) {
  let env: Environment;
  try {
    env = validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof InvalidConfiguration) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  try {
    const app = await createApp(build(env), { env, title: `Transfer of Care hub — ${name}`, gracefulShutdown: true, ...options });
    await app.listen({ port: env.PORT, host: env.HOST });
    const url = `http://${env.HOST}:${env.PORT}`;
    console.log(
      `Transfer of Care hub (${name}) on ${url}  ·  API docs ${url}/api/docs  ·  store ${env.EVENT_STORE}, bus ${env.BUS}`,
    );
    return app;
  } catch (error) {
    console.error('Start-up failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
