import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Environment } from './config/environment';
import { commandValidationPipe } from './http/validation';

export interface CreateAppOptions {
  env: Environment;
  title?: string;
  /** Buffer logs until pino is ready; tests pass false to keep output quiet. */
  logger?: boolean;
}

/** One way to build every deployable, so tests run exactly what production runs. */
export async function createApp(rootModule: unknown, { env, title = 'Transfer of Care hub', logger = true }: CreateAppOptions) {
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: true,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as never, adapter, {
    bufferLogs: true,
    logger: logger ? undefined : false,
  });
  if (logger) app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.useGlobalPipes(commandValidationPipe());
  // Activity feeds arrive as CSV text or FHIR JSON; both may be larger than a command.
  const fastify = app.getHttpAdapter().getInstance();
  const feedLimit = Math.max(env.BODY_LIMIT_BYTES, 10 * 1024 * 1024);
  fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: feedLimit }, (_req, body, done) => done(null, body));
  fastify.addContentTypeParser('application/fhir+json', { parseAs: 'string', bodyLimit: feedLimit }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(title)
      .setDescription('Commands are POSTs; send If-Match with the revision you saw and an Idempotency-Key to make retries safe.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
