import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  DomainRefusal,
  EventStoreUnavailable,
  IdempotencyKeyReused,
  InvalidAppend,
  StreamNotFound,
  WrongExpectedRevision,
  type RefusalKind,
} from '@app/event-sourcing';

/** The one error shape every context answers with. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: Array<{ field: string; rule: string; message: string }>;
  [detail: string]: unknown;
}

const STATUS_OF: Record<RefusalKind, number> = {
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
};

const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
};

/** Domain errors to HTTP, in one place. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof DomainRefusal) {
    return { statusCode: STATUS_OF[error.kind], code: error.code, message: error.message, ...error.details };
  }
  if (error instanceof WrongExpectedRevision) {
    return {
      statusCode: HttpStatus.CONFLICT,
      code: 'REVISION_CONFLICT',
      message: `This record has changed since revision ${String(error.expected)}: reload it and try again`,
      currentRevision: error.actual === 'no_stream' ? null : error.actual,
    };
  }
  if (error instanceof StreamNotFound) return { statusCode: 404, code: 'NOT_FOUND', message: 'No such record' };
  if (error instanceof IdempotencyKeyReused) return { statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED', message: error.message };
  if (error instanceof InvalidAppend) return { statusCode: 400, code: 'INVALID_EVENT', message: error.message };
  if (error instanceof EventStoreUnavailable) {
    return { statusCode: 503, code: 'STORE_UNAVAILABLE', message: 'The event store is unavailable; try again shortly' };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const body = typeof response === 'string' ? { message: response } : (response as Record<string, unknown>);
    const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? error.message);
    const problem: ErrorBody = {
      ...body,
      statusCode: status,
      code: String(body.code ?? CODE_OF_STATUS[status] ?? 'ERROR'),
      message,
    };
    // A 400 always names what was wrong: the body (unparseable JSON, empty, poisoned keys) or a route parameter.
    if (status === 400 && !Array.isArray(problem.errors))
      problem.errors = [{ field: fieldOf(message), rule: ruleOf(message), message }];
    return problem;
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'Something went wrong on our side. It has been logged.' };
}

const fieldOf = (message: string) =>
  /\(uuid is expected\)|numeric string is expected/i.test(message) ? 'path' : /header/i.test(message) ? 'headers' : 'body';
const ruleOf = (message: string) =>
  /uuid is expected/i.test(message)
    ? 'isUuid'
    : /cannot be empty/i.test(message)
      ? 'isNotEmpty'
      : /__proto__|constructor/i.test(message)
        ? 'noPrototypeKeys'
        : /JSON/.test(message)
          ? 'isJson'
          : 'isValid';

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = toErrorBody(error);
    delete (body as { error?: unknown }).error;
    // Only the error's name and stack: messages may quote request data.
    if (body.statusCode >= 500)
      this.logger.error({ err: error instanceof Error ? { name: error.name, stack: error.stack } : String(error) });
    if (body.code === 'REVISION_CONFLICT' && typeof body.currentRevision === 'number')
      reply.header('ETag', `"${body.currentRevision}"`);
    void reply.status(body.statusCode).send(body);
  }
}
