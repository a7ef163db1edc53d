import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@app/event-sourcing';

const badHeader = (field: string, rule: string, message: string) =>
  new BadRequestException({ code: 'VALIDATION_FAILED', message, errors: [{ field, rule, message }] });

/** `If-Match: "3"` (or `3`, or `W/"3"`) → 3. Absent → undefined: the command is not conditional. */
export const parseIfMatch = (header: string | string[] | undefined): number | undefined => {
  if (header === undefined || header === '') return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^(?:W\/)?(?:"(\d{1,15})"|(\d{1,15}))$/.exec(value.trim());
  if (!match) throw badHeader('If-Match', 'isRevision', 'If-Match must be the revision you last saw, e.g. "3"');
  return Number(match[1] ?? match[2]);
};

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
export const parseIdempotencyKey = (header: string | string[] | undefined): string | undefined => {
  if (header === undefined || header === '') return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (!KEY.test(value)) {
    throw badHeader(
      'Idempotency-Key',
      'isIdempotencyKey',
      'Idempotency-Key must be 8–128 letters, digits or . _ : - (a UUID is ideal)',
    );
  }
  return value;
};

export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseIfMatch(ctx.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);

export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseIdempotencyKey(ctx.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key']),
);

/** Everything a command endpoint needs from its request: who, the raw request and reply, and the headers. */
export interface CommandRequestContext {
  actor: Actor;
  request: FastifyRequest;
  reply: FastifyReply;
  ifMatch?: number;
  idempotencyKey?: string;
}

export const CommandContext = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandRequestContext => {
  const http = ctx.switchToHttp();
  const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
  if (!request.actor) throw new Error('CommandContext used on a public route');
  return {
    actor: request.actor,
    request,
    reply: http.getResponse<FastifyReply>(),
    ifMatch: parseIfMatch(request.headers['if-match']),
    idempotencyKey: parseIdempotencyKey(request.headers['idempotency-key']),
  };
});
