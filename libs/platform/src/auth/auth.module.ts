import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { join } from 'node:path';
import { ThrottlerModule } from '@nestjs/throttler';
import { RateLimitGuard, rateLimitOptions } from '../http/rate-limit';
import type { Environment } from '../config/environment';
import { AuthGuard } from './auth.guard';
import { DevAuthController } from './dev-auth.controller';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer } from './dev-issuer';
import { TokenVerifier } from './token-verifier';

@Global()
@Module({})
export class AuthModule {
  static forRoot(env: Environment): DynamicModule {
    const guard = { provide: APP_GUARD, useClass: AuthGuard };
    // After AuthGuard, so that a write is counted against the signed-in user rather than the address.
    const rateLimit = { provide: APP_GUARD, useClass: RateLimitGuard };
    const imports = [ThrottlerModule.forRoot(rateLimitOptions(env))];
    if (env.AUTH_MODE === 'oidc') {
      return {
        module: AuthModule,
        imports,
        providers: [
          {
            provide: TokenVerifier,
            useValue: new TokenVerifier({
              issuer: env.OIDC_ISSUER!,
              audience: env.OIDC_AUDIENCE!,
              jwks: new URL(env.OIDC_JWKS_URL!),
            }),
          },
          guard,
          rateLimit,
        ],
        exports: [TokenVerifier],
      };
    }
    return {
      module: AuthModule,
      imports,
      controllers: [DevAuthController],
      providers: [
        { provide: DevIssuer, useFactory: () => DevIssuer.open(join(env.DATA_DIR, 'dev-issuer-key.json'), env.NODE_ENV) },
        {
          provide: TokenVerifier,
          inject: [DevIssuer],
          useFactory: (issuer: DevIssuer) =>
            new TokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: issuer.publicJwks }),
        },
        guard,
        rateLimit,
      ],
      exports: [TokenVerifier, DevIssuer],
    };
  }
}
