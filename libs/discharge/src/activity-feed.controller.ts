import { BadRequestException, Body, Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CommandDispatcher, type Actor } from '@app/event-sourcing';
import { CommandGateway, CurrentActor, IdempotencyKey, Roles } from '@app/platform';
import type { ReferenceData } from '@app/reference-data';
import { REFERENCE_DATA } from '@app/reference-data/reference-data.module';
import {
  InvalidActivityFeed,
  parseActivityFeedCsv,
  parseDischargesFhir,
  planImport,
  type ParsedActivityFeed,
} from './activity-feed';

/** A trust's daily discharges and NCTR list, as CSV or a FHIR R4 Bundle, recorded as events. */
@ApiTags('acute activity feed')
@ApiBearerAuth()
@Controller('api/discharge/activity-feed')
export class ActivityFeedController {
  constructor(
    private readonly dispatcher: CommandDispatcher,
    private readonly gateway: CommandGateway,
    @Inject(REFERENCE_DATA) private readonly reference: ReferenceData,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('hub', 'admin')
  @ApiConsumes('text/csv', 'application/fhir+json')
  @ApiBody({ description: 'The column formats are in libs/discharge/src/activity-feed/README.md', schema: { type: 'string' } })
  @ApiOperation({ summary: 'Import a day’s discharges or NCTR list; importing the same facts again changes nothing' })
  async import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    const feed = this.parse(body, contentType ?? '');
    const commands = planImport(feed, this.gateway.metadata({ actor, request, idempotencyKey }));
    const reports = [];
    for (const command of commands) {
      const outcome = await this.dispatcher.dispatch(command, { retries: 3 });
      reports.push({ streamId: outcome.streamId, changed: outcome.events.length > 0, revision: outcome.revision ?? null });
    }
    return {
      kind: feed.kind,
      source: feed.source,
      rows: feed.rows.length,
      reports,
      changed: reports.filter((r) => r.changed).length,
      unchanged: reports.filter((r) => !r.changed).length,
    };
  }

  private parse(body: unknown, contentType: string): ParsedActivityFeed {
    try {
      if (contentType.startsWith('text/csv')) return parseActivityFeedCsv(String(body ?? ''), this.reference);
      if (contentType.startsWith('application/fhir+json') || contentType.startsWith('application/json')) {
        return parseDischargesFhir(body, this.reference);
      }
    } catch (error) {
      if (!(error instanceof InvalidActivityFeed)) throw error;
      throw new BadRequestException({
        code: 'INVALID_ACTIVITY_FEED',
        message: error.message,
        truncated: error.truncated,
        errors: error.problems.map((p) => ({
          field: p.column ?? p.path ?? 'file',
          rule: p.rule,
          message: p.row ? `row ${p.row}: ${p.message}` : p.message,
          ...(p.row !== undefined && { row: p.row }),
        })),
      });
    }
    throw new BadRequestException({
      code: 'UNSUPPORTED_FEED_FORMAT',
      message: 'Send the feed as text/csv or as a FHIR R4 Bundle (application/fhir+json)',
      errors: [{ field: 'Content-Type', rule: 'isIn', message: 'Content-Type must be text/csv or application/fhir+json' }],
    });
  }
}
