import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  IsObject,
  ValidateNested,
} from 'class-validator';
import { PatientIdentityDto } from '@app/identity';
import { isLondonDate } from '@app/time';
import {
  COGNITION_LEVELS,
  EQUIPMENT,
  FOLLOW_UP_RESULTS,
  MOBILITY_LEVELS,
  P2_BED_CATEGORIES,
  P3_BED_CATEGORIES,
  PATHWAY_REASONS,
  RETURN_REASONS,
  SEX_FOR_BAY_ALLOCATION,
  USUAL_RESIDENCES,
  WITHDRAWAL_REASONS,
  type BedCategory,
  type Cognition,
  type Equipment,
  type FollowUpResult,
  type Mobility,
  type Pathway,
  type PathwayReason,
  type ReturnReason,
  type SexForBayAllocation,
  type UsualResidence,
  type WithdrawalReason,
} from './discharge-case';

/** YYYY-MM-DD and a real day of the calendar: 2026-02-30 is bad input (400), not a domain refusal. */
const IsCalendarDate = () =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: isLondonDate, defaultMessage: (args) => `${args?.property ?? 'date'} must be a date, YYYY-MM-DD` },
  });
const CODE = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;

/** Free text is personal data: it is sealed under the patient's key before it reaches an event. */
class WithNote {
  @ApiPropertyOptional({ description: 'Free text; encrypted under the patient’s key, never logged', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class SpecialistNeedsDto {
  @ApiProperty() @IsBoolean() bariatric!: boolean;
  @ApiProperty() @IsBoolean() dementia!: boolean;
  @ApiProperty() @IsBoolean() endOfLife!: boolean;
  @ApiProperty({ description: 'Older people’s mental health' }) @IsBoolean() opmh!: boolean;
  @ApiProperty() @IsBoolean() sideRoom!: boolean;
  @ApiProperty({ enum: SEX_FOR_BAY_ALLOCATION })
  @IsIn(SEX_FOR_BAY_ALLOCATION)
  sexForBayAllocation!: SexForBayAllocation;
}

export class NeedsDto {
  @ApiProperty({ enum: MOBILITY_LEVELS }) @IsIn(MOBILITY_LEVELS) mobility!: Mobility;
  @ApiProperty({ enum: COGNITION_LEVELS }) @IsIn(COGNITION_LEVELS) cognition!: Cognition;
  @ApiProperty({ minimum: 0, maximum: 168, description: 'Hours of care a week' })
  @IsInt()
  @Min(0)
  @Max(168)
  careHoursPerWeek!: number;
  @ApiProperty({ enum: EQUIPMENT, isArray: true })
  @IsArray()
  @ArrayMaxSize(EQUIPMENT.length)
  @IsIn(EQUIPMENT, { each: true })
  equipment!: Equipment[];
  @ApiProperty({ type: SpecialistNeedsDto })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => SpecialistNeedsDto)
  specialist!: SpecialistNeedsDto;
}

export class SubmitReferralDto extends WithNote {
  @ApiProperty({
    type: PatientIdentityDto,
    description: 'Encrypted under the patient’s own key; only a pseudonym reaches events',
  })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => PatientIdentityDto)
  patient!: PatientIdentityDto;

  @ApiProperty({ example: 'RH5', description: 'Trust ODS code' })
  @Matches(/^[A-Z0-9]{3,5}$/, { message: 'hospital must be a trust ODS code, e.g. RH5' })
  hospital!: string;

  @ApiProperty({ example: 'RH5A8-ELIOT' })
  @Matches(/^[A-Z0-9-]{3,30}$/, { message: 'ward must be a ward code from the reference data, e.g. RH5A8-ELIOT' })
  ward!: string;

  @ApiProperty({ example: '2026-11-16', description: 'London date' })
  @IsCalendarDate()
  admittedOn!: string;

  @ApiProperty({ example: 'SEDGEMOOR', description: 'Locality of the person’s usual residence' })
  @Matches(CODE, { message: 'area must be a locality code, e.g. SEDGEMOOR' })
  area!: string;

  @ApiProperty({ enum: USUAL_RESIDENCES })
  @IsIn(USUAL_RESIDENCES)
  usualResidence!: UsualResidence;

  @ApiProperty({ enum: [0, 1, 2, 3] })
  @IsIn([0, 1, 2, 3])
  proposedPathway!: Pathway;

  @ApiProperty({ type: NeedsDto })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => NeedsDto)
  needs!: NeedsDto;
}

export class ReturnReferralDto extends WithNote {
  @ApiProperty({ enum: RETURN_REASONS }) @IsIn(RETURN_REASONS) reason!: ReturnReason;
}

export class CriteriaToResideNotMetDto {
  @ApiProperty({ example: '2026-11-20', description: 'The discharge ready date: the London date CTR stopped being met' })
  @IsCalendarDate()
  from!: string;
}

export class CriteriaToResideMetAgainDto {
  @ApiProperty({ example: '2026-11-21' })
  @IsCalendarDate()
  on!: string;
}

export class AssignPathwayDto {
  @ApiProperty({ enum: [0, 1, 2, 3] }) @IsIn([0, 1, 2, 3]) pathway!: Pathway;
  @ApiProperty({ enum: PATHWAY_REASONS }) @IsIn(PATHWAY_REASONS) reason!: PathwayReason;
  @ApiPropertyOptional({ description: 'Pathway 1: whether a home-care package is needed' })
  @IsOptional()
  @IsBoolean()
  homeCareNeeded?: boolean;
  @ApiPropertyOptional({ enum: [...P2_BED_CATEGORIES, ...P3_BED_CATEGORIES] })
  @IsOptional()
  @IsIn([...P2_BED_CATEGORIES, ...P3_BED_CATEGORIES])
  bedCategory?: BedCategory;
  @ApiPropertyOptional({ description: 'Pathway 2: the intention is to return home (ASCOF 2B(1))' })
  @IsOptional()
  @IsBoolean()
  intentionToReturnHome?: boolean;
}

export class OpenDelayDto extends WithNote {
  @ApiPropertyOptional({ description: 'Your own id for the delay; one is made for you if absent' })
  @IsOptional()
  @IsUUID()
  delayId?: string;
  @ApiProperty({ example: 'CAP-P1', description: 'National sitrep delay reason code' })
  @Matches(CODE, { message: 'reasonCode must be a delay reason code, e.g. CAP-P1' })
  reasonCode!: string;
  @ApiPropertyOptional({ example: '2024-25', description: 'Code list version; defaults to the version in force' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}$/, { message: 'reasonVersion must look like 2024-25' })
  reasonVersion?: string;
  @ApiPropertyOptional({ description: 'Make this the primary delay' })
  @IsOptional()
  @IsBoolean()
  makePrimary?: boolean;
}

export class CloseDelayDto extends WithNote {
  @ApiPropertyOptional({ description: 'When closing the primary delay while others are open: which becomes primary' })
  @IsOptional()
  @IsUUID()
  nextPrimaryDelayId?: string;
}

export class RecordDischargeDto {
  @ApiProperty({ example: '2026-11-25T14:30:00Z', description: 'Instant with Z or an offset' })
  @IsISO8601({ strict: true }, { message: 'dischargedAt must be an ISO 8601 date and time with Z or an offset' })
  dischargedAt!: string;
  @ApiProperty({ example: '19', description: 'NHS Data Dictionary discharge destination code' })
  @Matches(/^\d{2}$/, { message: 'destination must be a two-digit NHS Data Dictionary discharge destination code' })
  destination!: string;
}

export class WithdrawCaseDto extends WithNote {
  @ApiProperty({ enum: WITHDRAWAL_REASONS }) @IsIn(WITHDRAWAL_REASONS) reason!: WithdrawalReason;
}

export class RecordFollowUpDto extends WithNote {
  @ApiProperty({ enum: FOLLOW_UP_RESULTS }) @IsIn(FOLLOW_UP_RESULTS) result!: FollowUpResult;
}

export class CaseListQueryDto {
  @ApiPropertyOptional({ enum: ['referred', 'accepted', 'returned', 'withdrawn', 'discharged'] })
  @IsOptional()
  @IsIn(['referred', 'accepted', 'returned', 'withdrawn', 'discharged'])
  status?: string;
  @ApiPropertyOptional({ enum: ['0', '1', '2', '3'] })
  @IsOptional()
  @IsIn(['0', '1', '2', '3'])
  pathway?: string;
  @ApiPropertyOptional({ example: 'RH5' })
  @IsOptional()
  @Matches(/^[A-Z0-9]{3,5}$/, { message: 'hospital must be a trust ODS code' })
  hospital?: string;
  @ApiPropertyOptional({ example: 'MENDIP' })
  @IsOptional()
  @Matches(CODE, { message: 'area must be a locality code' })
  area?: string;
}
