import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { isLondonDate } from '@app/time';
import { OVERRIDE_REASONS, type OverrideReason } from '../capacity-ledger';
import {
  CANCELLATION_REASONS,
  DECLINE_REASONS,
  PACKAGE_OUTCOMES,
  REVIEW_PROGRESS,
  type CancellationReason,
  type DeclineReason,
  type PackageOutcome,
  type ReviewProgress,
} from '../home-care-package';
import { SUSPENSION_REASONS, type SuspensionReason } from '../provider';

/** YYYY-MM-DD and a real day of the calendar: 2026-02-30 is bad input (400); a date out of range is the domain's 422. */
const IsCalendarDate = () =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: isLondonDate, defaultMessage: (args) => `${args?.property ?? 'date'} must be a date, YYYY-MM-DD` },
  });

const PROVIDER_ID = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;
const LOCALITY = /^[A-Z][A-Z0-9_]*$/;

export class RegisterProviderDto {
  @ApiProperty({ example: 'PRV-MENDIP-CARE', description: 'Letters and digits joined by single hyphens' })
  @Matches(PROVIDER_ID, { message: 'providerId must be letters and digits joined by single hyphens, e.g. PRV-MENDIP-CARE' })
  @Length(1, 60)
  providerId!: string;

  @ApiProperty({ example: 'Mendip Care at Home', maxLength: 120 })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ example: ['MENDIP', 'SEDGEMOOR'], description: 'Locality codes from the reference data' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(LOCALITY, { each: true, message: 'each of localities must be a locality code, e.g. SEDGEMOOR' })
  localities!: string[];
}

export class SuspendProviderDto {
  @ApiProperty({ enum: SUSPENSION_REASONS })
  @IsIn(SUSPENSION_REASONS)
  reason!: SuspensionReason;
}

export class StaffingDto {
  @ApiProperty({ minimum: 0, description: 'Care workers on the rota for the day' })
  @IsInt()
  @Min(0)
  @Max(100_000)
  careWorkersRostered!: number;

  @ApiProperty({ minimum: 0, description: 'Of those, absent (sickness, isolation, other)' })
  @IsInt()
  @Min(0)
  @Max(100_000)
  careWorkersAbsent!: number;
}

export class DeclareCapacityDto {
  @ApiProperty({ example: 'SEDGEMOOR', description: 'A locality the provider serves' })
  @Matches(LOCALITY, { message: 'locality must be a locality code, e.g. SEDGEMOOR' })
  locality!: string;

  @ApiProperty({ example: '2026-11-25', description: 'London date: today up to 14 days ahead' })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ example: 40, minimum: 0, description: 'New care hours a week the provider can start on this date' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(10_000)
  hoursPerWeek!: number;

  @ApiProperty({ example: 3, minimum: 0, description: 'New packages the provider can take on this date' })
  @IsInt()
  @Min(0)
  @Max(1_000)
  newPackages!: number;

  @ApiPropertyOptional({ type: StaffingDto, description: 'More than 10% absent flags the workforce at risk' })
  @IsOptional()
  @ValidateNested()
  @Type(() => StaffingDto)
  staffing?: StaffingDto;
}

export class OfferPackageDto {
  @ApiProperty({ example: 'PRV-MENDIP-CARE' })
  @Matches(PROVIDER_ID, { message: 'providerId must be a provider id, e.g. PRV-MENDIP-CARE' })
  @Length(1, 60)
  providerId!: string;

  @ApiProperty({ example: '2026-11-26', description: 'London date care would start: the ledger the hours are held on' })
  @IsCalendarDate()
  startOn!: string;

  @ApiPropertyOptional({ example: '2026-11-25T14:00:00Z', description: 'When the offer lapses; default 4 hours from now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 instant' })
  expiresAt?: string;

  @ApiPropertyOptional({
    enum: OVERRIDE_REASONS,
    description: 'Hold hours that are not free (over-commitment), for this coded reason; recorded on the ledger',
  })
  @IsOptional()
  @IsIn(OVERRIDE_REASONS)
  overrideReason?: OverrideReason;
}

export class DeclineOfferDto {
  @ApiProperty({ enum: DECLINE_REASONS })
  @IsIn(DECLINE_REASONS)
  reason!: DeclineReason;
}

export class StartPackageDto {
  @ApiProperty({ example: '2026-11-25', description: 'London date care started; not in the future' })
  @IsCalendarDate()
  startedOn!: string;
}

export class RecordReviewDto {
  @ApiPropertyOptional({ description: 'Your id for the review, so a repeat is recorded once; default one per request' })
  @IsOptional()
  @IsUUID()
  reviewId?: string;

  @ApiProperty({ example: '2026-12-02' })
  @IsCalendarDate()
  reviewedOn!: string;

  @ApiProperty({ enum: REVIEW_PROGRESS })
  @IsIn(REVIEW_PROGRESS)
  progress!: ReviewProgress;

  @ApiProperty({ example: 10, minimum: 0, maximum: 168, description: 'Hours a week the person needs now' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(168)
  hoursPerWeekNow!: number;
}

export class EndPackageDto {
  @ApiProperty({ enum: PACKAGE_OUTCOMES })
  @IsIn(PACKAGE_OUTCOMES)
  outcome!: PackageOutcome;

  @ApiProperty({ example: '2026-12-20' })
  @IsCalendarDate()
  endedOn!: string;
}

/** `superseded` is the register's own reason, never a person's. */
const HUB_CANCELLATION_REASONS = CANCELLATION_REASONS.filter((r) => r !== 'superseded');

export class CancelPackageDto {
  @ApiProperty({ enum: HUB_CANCELLATION_REASONS })
  @IsIn(HUB_CANCELLATION_REASONS)
  reason!: CancellationReason;
}

/** Read your own write: pass the `position` a command answered with, and the view waits until it includes it. */
export class AfterPositionDto {
  @ApiPropertyOptional({ example: '42', description: 'Wait until the view includes this global position' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'after must be a position from a command response' })
  after?: string;
}

export class LedgerQueryDto extends AfterPositionDto {
  @ApiPropertyOptional({ example: '2026-11-25', description: 'First London date; default today' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: 15, minimum: 1, maximum: 31, description: 'Days from `from`; default 15 (today + 14)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(31)
  days?: number;
}

export class PackageListQueryDto extends AfterPositionDto {
  @ApiPropertyOptional({ enum: ['requested', 'accepted', 'active', 'ended', 'cancelled'] })
  @IsOptional()
  @IsIn(['requested', 'accepted', 'active', 'ended', 'cancelled'])
  status?: string;

  @ApiPropertyOptional({ example: 'SEDGEMOOR' })
  @IsOptional()
  @Matches(LOCALITY, { message: 'area must be a locality code' })
  area?: string;
}

export class ProviderParamsDto {
  @Matches(PROVIDER_ID, { message: 'providerId must be a provider id, e.g. PRV-MENDIP-CARE' })
  @Length(1, 60)
  providerId!: string;
}
