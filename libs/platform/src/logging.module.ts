import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { Environment } from './config/environment';

/**
 * JSON logs with a request id. Bodies, headers and query strings are never logged: they can carry
 * tokens and personal data.
 */
/** LOG_FILE: JSON lines appended to a file (synchronously, so a test can read every line) instead of stdout. */
const withDestination = <T extends object>(file: string | undefined, options: T): T | [T, pino.DestinationStream] =>
  file ? [options, pino.destination({ dest: file, sync: true, mkdir: true })] : options;

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        pinoHttp: withDestination(config.get('LOG_FILE', { infer: true }), {
          level: config.get('LOG_LEVEL', { infer: true }),
          transport:
            config.get('LOG_FORMAT', { infer: true }) === 'pretty' && !config.get('LOG_FILE', { infer: true })
              ? { target: 'pino-pretty' }
              : undefined,
          genReqId: (req: IncomingMessage) => {
            const given = req.headers['x-request-id'];
            return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
          },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              path: req.url.split('?')[0],
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
        }),
      }),
    }),
  ],
})
export class PlatformLoggingModule {}
