import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { Roles } from '../auth/decorators';
import { AccessAudit } from './access-audit';
import { accessAuditCsv } from './access-audit.store';

export class AccessAuditQueryDto {
  @ApiPropertyOptional({ description: 'The pseudonymous patient id (a discharge case shows it as patientId)' })
  @IsOptional()
  @IsUUID('all', { message: 'patientId must be a patient id (a UUID)' })
  patientId?: string;

  @ApiPropertyOptional({ example: 'ward.musgrove' })
  @IsOptional()
  @Matches(/^[\w.@:-]{1,128}$/, { message: 'userId must be a user id' })
  userId?: string;

  @ApiPropertyOptional({ example: '2026-11-23T00:00:00Z', description: 'From this instant (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date and time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-24T00:00:00Z', description: 'Up to this instant (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date and time' })
  to?: string;

  @ApiPropertyOptional({ example: 1000, description: 'At most this many entries, newest first (1–10000)' })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}

const instant = (value: string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

/** Who read whose record (DESIGN §4): admin only, by person and by user, as JSON or CSV. */
@ApiTags('access audit')
@ApiBearerAuth()
@Controller('api/admin/access-audit')
export class AccessAuditController {
  constructor(private readonly audit: AccessAudit) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Reads of people’s records, newest first, by person (patientId) and/or user, in a time range' })
  list(@Query() query: AccessAuditQueryDto) {
    const entries = this.audit.store.query({ ...query, from: instant(query.from), to: instant(query.to) });
    return { count: entries.length, entries };
  }

  @Get('export.csv')
  @Roles('admin')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="access-audit.csv"')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The same entries as CSV' })
  export(@Query() query: AccessAuditQueryDto) {
    return accessAuditCsv(
      this.audit.store.query({ ...query, from: instant(query.from), to: instant(query.to), limit: query.limit ?? 10_000 }),
    );
  }
}
