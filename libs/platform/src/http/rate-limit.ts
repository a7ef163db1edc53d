import { HttpException, HttpStatus, Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Actor } from '@app/event-sourcing';
import type { Environment } from '../config/environment';

export const RATE_LIMIT_KIND = 'toc:rate-limit';

/** Marks the sign-in route: it is limited per client IP by RATE_LIMIT_LOGIN instead of as a write. */
export const LoginRoute = () => SetMetadata(RATE_LIMIT_KIND, 'login');

const isLogin = (context: ExecutionContext) =>
  context.getHandler() && Reflect.getMetadata(RATE_LIMIT_KIND, context.getHandler()) === 'login';
const isWrite = (context: ExecutionContext) =>
  context.switchToHttp().getRequest<{ method?: string }>().method === 'POST' && !isLogin(context);

/**
 * Two limits (DESIGN §4, hostile input): sign-ins per client IP, and writes (every other POST) per signed-in
 * user, or per IP when the request carries no valid token. Reads are not limited here. A limit of 0 is off.
 */
export function rateLimitOptions(
  env: Pick<Environment, 'RATE_LIMIT_WINDOW_SECONDS' | 'RATE_LIMIT_LOGIN' | 'RATE_LIMIT_WRITES'>,
): ThrottlerModuleOptions {
  const ttl = env.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const http = (context: ExecutionContext) => context.getType() === 'http';
  return {
    throttlers: [
      {
        name: 'login',
        ttl,
        limit: env.RATE_LIMIT_LOGIN,
        skipIf: (context) => env.RATE_LIMIT_LOGIN === 0 || !http(context) || !isLogin(context),
      },
      {
        name: 'writes',
        ttl,
        limit: env.RATE_LIMIT_WRITES,
        skipIf: (context) => env.RATE_LIMIT_WRITES === 0 || !http(context) || !isWrite(context),
      },
    ],
    // One count per user (or IP) across every route of a kind, not one per route.
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
  };
}

/** Runs after AuthGuard (registered after it), so a write is counted against the signed-in user. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const actor = req.actor as Actor | undefined;
    return actor ? `user:${actor.userId}` : `ip:${String(req.ip)}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const what = isLogin(context) ? 'sign-in attempts from this address' : 'writes';
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new HttpException(
      {
        code: 'RATE_LIMITED',
        message: `Too many ${what}: at most ${detail.limit} every ${Math.round(detail.ttl / 1000)} s. Try again in ${seconds} s.`,
        retryAfterSeconds: seconds,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
