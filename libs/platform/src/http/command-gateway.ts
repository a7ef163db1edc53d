import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deterministicUuid, type Actor, type CommandMetadata, type CommandOutcome, type RunOptions } from '@app/event-sourcing';
import { CLOCK, type Clock } from '../clock';

export interface HttpCommandContext {
  actor: Actor;
  request: FastifyRequest;
  ifMatch?: number;
  idempotencyKey?: string;
}

/** Turns an HTTP request into command metadata and run options, and an outcome into a response. */
@Injectable()
export class CommandGateway {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  metadata({ actor, request, idempotencyKey }: HttpCommandContext): CommandMetadata {
    return {
      // A retried request with the same key is the same command, so its events get the same ids.
      commandId: idempotencyKey ? deterministicUuid(`${actor.userId}\u0000${idempotencyKey}`) : randomUUID(),
      correlationId: String(request.id ?? randomUUID()),
      actor,
      now: this.clock.now().toISOString(),
    };
  }

  options({ actor, request, ifMatch, idempotencyKey }: HttpCommandContext): RunOptions {
    return {
      expectedRevision: ifMatch,
      // Without If-Match the person did not act on a particular revision, so a write that raced a
      // process manager is re-read and re-decided rather than refused.
      retries: ifMatch === undefined ? 3 : 0,
      idempotency: idempotencyKey
        ? {
            key: `${actor.userId}\u0000${idempotencyKey}`,
            fingerprint: createHash('sha256')
              .update(`${request.method} ${request.url.split('?')[0]}\u0000${JSON.stringify(request.body ?? null)}`)
              .digest('base64url'),
          }
        : undefined,
    };
  }

  /** The ETag is the stream revision, for the next If-Match. */
  respond<S>(reply: FastifyReply, outcome: CommandOutcome<S>) {
    if (outcome.revision !== undefined) void reply.header('ETag', `"${outcome.revision}"`);
    if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
    return {
      streamId: outcome.streamId,
      revision: outcome.revision ?? null,
      position: outcome.position?.toString() ?? null,
      events: outcome.events.map((e) => ({ id: e.id, type: e.type, revision: e.revision })),
    };
  }
}
