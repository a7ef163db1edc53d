import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, validateEnvironment, type Clock, type Environment } from '@app/platform';

export interface TestApp {
  app: NestFastifyApplication;
  env: Environment;
  dataDir: string;
  /** A bearer header for a demo user, from the app's own development issuer. */
  as(userId: string): Promise<{ authorization: string }>;
  /** Listen on an ephemeral port of 127.0.0.1 (for clients that need a socket, e.g. socket.io); the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
  /** Close and remove the data directory. */
  destroy(): Promise<void>;
}

/**
 * Boots a module exactly as main.ts does, on a data directory of its own (or a given one, to
 * simulate a restart), with logs off.
 */
export async function startTestApp(
  build: (options: { env: Environment; clock?: Clock }) => unknown,
  { dataDir, clock, env: overrides = {} }: { dataDir?: string; clock?: Clock; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'toc-e2e-'));
  const env = validateEnvironment({ NODE_ENV: 'test', DATA_DIR: dir, LOG_LEVEL: 'silent', ...overrides });
  const app = await createApp(build({ env, clock }), { env, logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const tokens = new Map<string, string>();
  return {
    app,
    env,
    dataDir: dir,
    async as(userId) {
      if (!tokens.has(userId)) {
        const response = await app.inject({ method: 'POST', url: '/auth/dev/token', payload: { userId } });
        if (response.statusCode !== 200) throw new Error(`No token for ${userId}: ${response.body}`);
        tokens.set(userId, response.json().access_token);
      }
      return { authorization: `Bearer ${tokens.get(userId)}` };
    },
    async listen() {
      await app.listen(0, '127.0.0.1');
      const address = app.getHttpServer().address() as AddressInfo;
      return `http://127.0.0.1:${address.port}`;
    },
    close: () => app.close(),
    async destroy() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
