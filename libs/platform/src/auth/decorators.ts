import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor, Role } from '@app/event-sourcing';

export const IS_PUBLIC = 'toc:public';
export const ROLES = 'toc:roles';
export const SCOPED_BY = 'toc:scoped-by';

export interface ScopeRule {
  role: 'ward' | 'provider';
  /** The route parameter or body field that names the hospital (ward) or provider. */
  field: string;
}

/** No token needed: health, API docs, the development issuer. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route. Scope (own hospital, own provider) is checked by the domain. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/**
 * For requests that name their scope: a ward user may only name their own hospital, a provider only
 * itself. Records looked up by id are scoped by the domain instead (assertInScope).
 */
export const ScopedBy = (...rules: ScopeRule[]) => SetMetadata(SCOPED_BY, rules);

export interface RequestWithActor {
  actor?: Actor;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
