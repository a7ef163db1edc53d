import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  IsObject,
  ValidateNested,
} from 'class-validator';
import { P2_BED_CATEGORIES, type P2BedCategory } from '@app/discharge';
import { NeedsDto } from '@app/discharge/discharge.dtos';
import { PatientIdentityDto } from '@app/identity';
import { isLondonDate } from '@app/time';
import {
  CARE_OUTCOMES,
  REFERRAL_KINDS,
  REFERRAL_SOURCES,
  TRIAGE_OUTCOMES,
  TRIAGE_REASONS,
  URGENCIES,
  WITHDRAWAL_REASONS,
  type CareOutcome,
  type ReferralKind,
  type ReferralSource,
  type ReferralWithdrawalReason,
  type TriageOutcome,
  type Urgency,
} from './intermediate-care-referral';

const CODE = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;
const ALL_TRIAGE_REASONS = [...new Set(Object.values(TRIAGE_REASONS).flat())];
const IsCalendarDate = () =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: isLondonDate, defaultMessage: (args) => `${args?.property ?? 'date'} must be a date, YYYY-MM-DD` },
  });
const IsInstant = (field: string) =>
  IsISO8601({ strict: true }, { message: `${field} must be an ISO 8601 date and time with Z or an offset` });

/** Free text is personal data: it is sealed under the patient's key before it reaches an event. */
class WithNote {
  @ApiPropertyOptional({ description: 'Free text; encrypted under the patient’s key, never logged', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class SubmitCommunityReferralDto extends WithNote {
  @ApiProperty({
    type: PatientIdentityDto,
    description: 'Encrypted under the patient’s own key; only a pseudonym reaches events',
  })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => PatientIdentityDto)
  patient!: PatientIdentityDto;

  @ApiProperty({ enum: REFERRAL_KINDS }) @IsIn(REFERRAL_KINDS) kind!: ReferralKind;
  @ApiProperty({ enum: REFERRAL_SOURCES }) @IsIn(REFERRAL_SOURCES) source!: ReferralSource;

  @ApiProperty({ example: 'L85001', description: 'ODS code of the referring practice, team or hospice' })
  @Matches(/^[A-Z0-9]{3,8}$/, { message: 'referrerOrganisation must be an ODS code, e.g. L85001' })
  referrerOrganisation!: string;

  @ApiProperty({ example: 'SEDGEMOOR', description: 'Locality where the person lives' })
  @Matches(CODE, { message: 'area must be a locality code, e.g. SEDGEMOOR' })
  area!: string;

  @ApiProperty({ enum: URGENCIES, description: 'urgent: the 2-hour urgent community response' })
  @IsIn(URGENCIES)
  urgency!: Urgency;

  @ApiProperty({ type: NeedsDto })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => NeedsDto)
  needs!: NeedsDto;
}

export class TriageDto {
  @ApiProperty({ enum: TRIAGE_OUTCOMES }) @IsIn(TRIAGE_OUTCOMES) outcome!: TriageOutcome;
  @ApiProperty({ enum: ALL_TRIAGE_REASONS, description: 'A reason of the outcome (see TRIAGE_REASONS)' })
  @IsIn(ALL_TRIAGE_REASONS)
  reason!: string;
  @ApiPropertyOptional({
    enum: P2_BED_CATEGORIES,
    description: 'bed: end-of-life for end-of-life requests, step-down by default',
  })
  @IsOptional()
  @IsIn(P2_BED_CATEGORIES)
  bedCategory?: P2BedCategory;
  @ApiPropertyOptional({ description: 'support-at-home: package hours a week (defaults to the referral’s; 0 = no package)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(168)
  hoursPerWeek?: number;
}

export class FirstResponseDto {
  @ApiProperty({ example: '2026-11-25T10:40:00Z' }) @IsInstant('respondedAt') respondedAt!: string;
}

export class StartCareDto {
  @ApiProperty({ example: '2026-11-25T15:00:00Z' }) @IsInstant('startedAt') startedAt!: string;
}

export class EndCareDto {
  @ApiProperty({ enum: CARE_OUTCOMES }) @IsIn(CARE_OUTCOMES) outcome!: CareOutcome;
  @ApiProperty({ example: '2026-12-01', description: 'London date' }) @IsCalendarDate() endedOn!: string;
}

export class WithdrawReferralDto extends WithNote {
  @ApiProperty({ enum: WITHDRAWAL_REASONS }) @IsIn(WITHDRAWAL_REASONS) reason!: ReferralWithdrawalReason;
}

export class ReferralListQueryDto {
  @ApiPropertyOptional({ enum: ['submitted', 'triaged', 'active', 'closed'] })
  @IsOptional()
  @IsIn(['submitted', 'triaged', 'active', 'closed'])
  status?: string;
  @ApiPropertyOptional({ enum: REFERRAL_KINDS }) @IsOptional() @IsIn(REFERRAL_KINDS) kind?: ReferralKind;
}
