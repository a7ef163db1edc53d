import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor, Role } from '@app/event-sourcing';

export const IS_PUBLIC = 'toc:public';
export const ROLES = 'toc:roles';

/** No token needed: health, API docs, the development issuer. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route. Scope (own hospital, own provider) is checked by the domain. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export interface RequestWithActor {
  actor?: Actor;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
