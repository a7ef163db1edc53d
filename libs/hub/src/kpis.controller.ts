import { BadRequestException, Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Actor } from '@app/event-sourcing';
import { CLOCK, CurrentActor, Roles, type Clock } from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import type { ReferenceData } from '@app/reference-data';
import { REFERENCE_DATA } from '@app/reference-data/reference-data.module';
import { BED_BOARD, type BedBoardView } from '@app/bed-base';
import { HOME_CARE_VIEW, type HomeCareView } from '@app/home-care';
import { addLondonDays, isLondonDate, londonDate, startOfLondonDay, type LondonDate } from '@app/time';
import { KPI_DEFINITIONS } from './kpis/definitions';
import { kpisAnswer, type KpiViews } from './kpis/answer';
import { DISCHARGE_SITREP_METRICS, dischargeSitrepCsv } from './kpis/sitrep';
import { capacityKpis, type CapacityKpisView } from './projections/capacity-kpis';
import { dischargeKpis, type DischargeKpisView, type KpiFilters } from './projections/discharge-kpis';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

class AsOfQuery {
  @ApiPropertyOptional({ example: '2026-11-25', description: 'The London date to report on; today by default' })
  @IsOptional()
  @Matches(DATE, { message: 'date must be a date, YYYY-MM-DD' })
  date?: string;

  @ApiPropertyOptional({ example: '2026-11-25T10:00:00Z', description: 'Answer with what the hub knew at this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'asOf must be an ISO 8601 date and time' })
  asOf?: string;
}

class KpisQuery extends AsOfQuery {
  @ApiPropertyOptional({ example: 'SEDGEMOOR' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  area?: string;

  @ApiPropertyOptional({ example: 'RH5', description: 'Trust ODS code' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  hospital?: string;

  @ApiPropertyOptional({ example: '85+' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  ageBand?: string;

  @ApiPropertyOptional({ example: '2026-10-01', description: 'ASCOF 2B(1) cohort start; default 1 October' })
  @IsOptional()
  @Matches(DATE, { message: 'ascofFrom must be a date, YYYY-MM-DD' })
  ascofFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'ASCOF 2B(1) cohort end; default 31 December' })
  @IsOptional()
  @Matches(DATE, { message: 'ascofTo must be a date, YYYY-MM-DD' })
  ascofTo?: string;
}

const invalid = (field: string, rule: string, message: string) =>
  new BadRequestException({ code: 'VALIDATION_FAILED', message, errors: [{ field, rule, message }] });

/** The discharge-side KPIs (DESIGN §5), their definitions, and the discharge sitrep return. */
@ApiTags('hub')
@ApiBearerAuth()
@Controller('api/hub')
export class KpisController {
  constructor(
    private readonly projections: ProjectionRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REFERENCE_DATA) private readonly referenceData: ReferenceData,
  ) {}

  @Get('kpis/definitions')
  @Roles('hub', 'leader', 'admin')
  @ApiOperation({ summary: 'Every KPI with its numerator, denominator, date basis and snapshot time (Europe/London)' })
  definitions() {
    return { timeZone: 'Europe/London', kpis: KPI_DEFINITIONS };
  }

  @Get('kpis')
  @Roles('hub', 'leader', 'admin')
  @ApiOperation({
    summary:
      'All KPIs for a London date: discharge, bedBase, d2a and parkedMessages; leaders get aggregates with small counts of people suppressed',
  })
  async kpis(@Query() query: KpisQuery, @CurrentActor() actor: Actor) {
    const filters = this.filtersOf(query);
    const { date, asOf, view, position } = await this.viewFor(query);
    const ascofCohort = this.cohortOf(query);
    const { at, capacity } = await this.capacityFor(date, asOf);
    return kpisAnswer(
      { discharge: { view, position }, capacity },
      { date, at, asOf, filters, ascofCohort, leader: actor.role === 'leader' },
      this.referenceData,
    );
  }

  @Get('returns/discharge-sitrep.csv')
  @Roles('hub', 'admin')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: `Discharge sitrep return for a London date, long format (Period,Org Code,Metric,Value). Metric names: ${DISCHARGE_SITREP_METRICS.source}`,
  })
  async sitrep(@Query() query: AsOfQuery) {
    const { date, view } = await this.viewFor(query);
    return dischargeSitrepCsv(view, date, this.referenceData);
  }

  private async viewFor(query: AsOfQuery) {
    const projection = this.projections.get<DischargeKpisView>(dischargeKpis.name);
    const asOf = query.asOf ? new Date(query.asOf).toISOString() : null;
    if (query.date !== undefined && !isLondonDate(query.date)) throw invalid('date', 'isDate', 'date is not a calendar date');
    const date: LondonDate = query.date ?? londonDate(asOf ? new Date(asOf) : this.clock.now());
    const { view, position } = asOf ? await projection.asOf(asOf) : projection.current();
    return { date, asOf, view, position };
  }

  /**
   * Bed base, D2A and parked messages read the bed-board, home-care-view and capacity-kpis projections at one
   * instant: `asOf` when given; else now for today (or a later date), and the end of the London day for an
   * earlier date. Absent projections (a deployment without them) leave their sections out.
   */
  private async capacityFor(date: LondonDate, asOf: string | null): Promise<{ at: string; capacity?: KpiViews['capacity'] }> {
    const now = this.clock.now();
    const endOfDate = new Date(startOfLondonDay(addLondonDays(date, 1)).getTime() - 1);
    const at = asOf ?? (endOfDate < now ? endOfDate.toISOString() : null);
    const kept = (name: string) => this.projections.all().some((p) => p.projection.name === name);
    if (![BED_BOARD, HOME_CARE_VIEW, capacityKpis.name].every(kept)) return { at: at ?? now.toISOString() };
    const read = async <V>(name: string): Promise<V> => {
      const projection = this.projections.get<V>(name);
      return at ? (await projection.asOf(at)).view : projection.current().view;
    };
    const [board, home, facts] = await Promise.all([
      read<BedBoardView>(BED_BOARD),
      read<HomeCareView>(HOME_CARE_VIEW),
      read<CapacityKpisView>(capacityKpis.name),
    ]);
    return { at: at ?? now.toISOString(), capacity: { board, home, facts } };
  }

  private filtersOf(query: KpisQuery): KpiFilters {
    const { area, hospital, ageBand } = query;
    if (area !== undefined && !this.referenceData.area(area)) throw invalid('area', 'isIn', 'area is not a known area code');
    if (hospital !== undefined && !this.referenceData.contents.trusts.some((t) => t.odsCode === hospital)) {
      throw invalid('hospital', 'isIn', 'hospital is not a known trust ODS code');
    }
    if (ageBand !== undefined && !this.referenceData.contents.ageBands.some((b) => b.code === ageBand)) {
      throw invalid('ageBand', 'isIn', 'ageBand is not a known age band');
    }
    return { ...(area && { area }), ...(hospital && { hospital }), ...(ageBand && { ageBand }) };
  }

  private cohortOf(query: KpisQuery) {
    if (query.ascofFrom === undefined && query.ascofTo === undefined) return undefined;
    const { ascofFrom: from, ascofTo: to } = query;
    if (!from || !to || !isLondonDate(from) || !isLondonDate(to) || from > to) {
      throw invalid('ascofFrom', 'isDateRange', 'ascofFrom and ascofTo must both be dates, ascofFrom on or before ascofTo');
    }
    return { from, to };
  }
}
