import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, ValidateBy } from 'class-validator';
import type { Actor } from '@app/event-sourcing';
import { CLOCK, CurrentActor, Roles, type Clock } from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import type { ReferenceData } from '@app/reference-data';
import { REFERENCE_DATA } from '@app/reference-data/reference-data.module';
import { isLondonDate, londonDate } from '@app/time';
import { pathwaySharesForLeader } from './kpis/for-leader';
import { pathwaySharesOn, type PathwaySharesView } from './projections/pathway-shares';

class PathwaySharesQuery {
  @ApiPropertyOptional({ example: '2026-11-25', description: 'The London date to report on; today by default' })
  @IsOptional()
  // A real calendar day: 2026-02-30 is a 400, not a 500 from the window arithmetic.
  @ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: isLondonDate, defaultMessage: () => 'date must be a date, YYYY-MM-DD' },
  })
  date?: string;

  @ApiPropertyOptional({ example: '2026-11-25T10:00:00Z', description: 'Answer with what the hub knew at this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'asOf must be an ISO 8601 date and time' })
  asOf?: string;
}

@ApiTags('hub')
@ApiBearerAuth()
@Controller('api/hub')
export class HubController {
  constructor(
    private readonly projections: ProjectionRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REFERENCE_DATA) private readonly referenceData: ReferenceData,
  ) {}

  @Get('pathway-shares')
  @Roles('hub', 'leader', 'admin')
  @ApiOperation({
    summary:
      'Discharges by pathway, today and month to date, with the basis of the denominator; leaders get counts of 1 to threshold − 1, and shares from them, as "suppressed"',
  })
  async pathwayShares(@Query() query: PathwaySharesQuery, @CurrentActor() actor: Actor) {
    const projection = this.projections.get<PathwaySharesView>('pathway-shares');
    const asOf = query.asOf ? new Date(query.asOf).toISOString() : undefined;
    const date = query.date ?? londonDate(asOf ? new Date(asOf) : this.clock.now());
    const { view, position } = asOf ? await projection.asOf(asOf) : projection.current();
    const answer = { date, asOf: asOf ?? null, position: position?.toString() ?? null, ...pathwaySharesOn(view, date) };
    return actor.role === 'leader' ? pathwaySharesForLeader(answer, this.referenceData) : answer;
  }
}
