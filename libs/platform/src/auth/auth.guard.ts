import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '@app/event-sourcing';
import { IS_PUBLIC, ROLES, SCOPED_BY, type RequestWithActor, type ScopeRule } from './decorators';
import { InvalidToken, TokenVerifier } from './token-verifier';

/** Every route needs a valid bearer token unless marked @Public(); @Roles() narrows who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & RequestWithActor>();
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) {
      void http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: 'Sign in: this request needs a bearer token' });
    }
    try {
      request.actor = await this.verifier.verify(token);
    } catch (error) {
      void http.getResponse<FastifyReply>().header('WWW-Authenticate', 'Bearer error="invalid_token"');
      const reason = error instanceof InvalidToken ? error.message : 'invalid token';
      throw new UnauthorizedException({ code: 'INVALID_TOKEN', message: `The bearer token was refused: ${reason}` });
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.actor.role)) {
      throw new ForbiddenException({
        code: 'ROLE_NOT_PERMITTED',
        message: `This needs the ${roles.join(' or ')} role; you are signed in as ${request.actor.role}`,
      });
    }
    const actor = request.actor;
    for (const rule of this.reflector.getAllAndOverride<ScopeRule[] | undefined>(SCOPED_BY, targets) ?? []) {
      if (rule.role !== actor.role) continue;
      const params = (request.params ?? {}) as Record<string, unknown>;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const named = params[rule.field] ?? body[rule.field];
      if (named !== actor.organisation) {
        throw new ForbiddenException({
          code: 'OUT_OF_SCOPE',
          message: `A ${actor.role} user may only act for their own ${rule.role === 'ward' ? 'hospital' : 'provider'} (${rule.field})`,
        });
      }
    }
    return true;
  }
}
