import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { Environment } from './config/environment';
import { commandValidationPipe } from './http/validation';
import { installGracefulShutdown } from './shutdown';

export interface CreateAppOptions {
  env: Environment;
  title?: string;
  /** Buffer logs until pino is ready; tests pass false to keep output quiet. */
  logger?: boolean;
  /** The built web UI (dist/web): served at `/`, with client routes falling back to its index.html. */
  webRoot?: string;
  /** Drain before closing on SIGTERM (deployables); tests close the app themselves. */
  gracefulShutdown?: boolean;
}

/** One way to build every deployable, so tests run exactly what production runs. */
export async function createApp(
  rootModule: unknown,
  { env, title = 'Transfer of Care hub', logger = true, webRoot, gracefulShutdown = false }: CreateAppOptions,
) {
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: trustProxy(env.TRUST_PROXY),
    // Route parameters are ids and codes: a 10 kB "caseId" is refused by the router rather than parsed.
    routerOptions: { maxParamLength: 200 },
    // On close, idle keep-alive connections are closed at once rather than after keepAliveTimeout.
    forceCloseConnections: 'idle',
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
  if (gracefulShutdown) installGracefulShutdown(app);
  else app.enableShutdownHooks();
  // Security headers on every response (the API, the docs and the web UI); one CSP, which the web UI needs.
  await app.register(fastifyHelmet as never, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP },
    // The web UI loads only its own assets; nothing here is embedded cross-origin.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  // Same origin only unless CORS_ORIGINS names others (the web UI is served by this app).
  if (env.CORS_ORIGINS.length > 0) {
    app.enableCors({
      origin: env.CORS_ORIGINS,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['ETag', 'Location', 'Idempotent-Replayed', 'Retry-After', 'X-Request-Id'],
      credentials: false,
      maxAge: 600,
    });
  }
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
  if (webRoot) await serveWebApp(app, webRoot);
  return app;
}

/** Paths the web UI never answers, so an unknown API path stays a JSON 404 rather than the app's HTML. */
const NOT_WEB = /^\/(api|auth|health|socket\.io)(\/|$)/;
/** The web UI's policy, sent by helmet on every response (the API's JSON and the docs page included). */
export const CSP = {
  defaultSrc: ["'self'"],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  imgSrc: ["'self'", 'data:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  scriptSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const trustProxy = (setting: string): boolean | string =>
  setting === 'true' ? true : setting === 'false' ? false : setting.replace(/\s+/g, '');

/**
 * Files from `root`, and index.html for any other GET that is not an API path (client-side routes).
 * One catch-all route: Nest's own routes are more specific, so they always win over it.
 */
async function serveWebApp(app: NestFastifyApplication, root: string) {
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(fastifyStatic, { root, serve: false });
  fastify.get('/*', (request, reply) => {
    const path = (request.params as { '*'?: string })['*'] ?? '';
    if (NOT_WEB.test(request.url)) return reply.callNotFound();
    // A path with an extension is a file: missing ones are 404s, never the app's HTML.
    if (/\.[A-Za-z0-9]+$/.test(path)) {
      return path.startsWith('assets/') ? reply.sendFile(path, { maxAge: '365d', immutable: true }) : reply.sendFile(path);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });
}
