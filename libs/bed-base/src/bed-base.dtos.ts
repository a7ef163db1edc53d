import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_RESERVATION_HOURS } from './bed';
import {
  BAY_SEXES,
  BED_CAPABILITIES,
  BED_CLOSURE_REASONS,
  FUNDING_TYPES,
  LEAVING_OUTCOMES,
  P2_BED_CATEGORIES,
  P3_BED_CATEGORIES,
  SITE_CLOSURE_REASONS,
  SITE_KINDS,
  type BaySex,
  type BedCapability,
  type BedCategory,
  type BedClosureReason,
  type BedPathway,
  type Funding,
  type LeavingOutcome,
  type SiteClosureReason,
  type SiteKind,
} from './codes';

/** Site and bed ids appear in URLs: capitals, digits and hyphens only, never a person's detail. */
export const ID = /^[A-Z0-9][A-Z0-9-]{1,63}$/;
const ID_MESSAGE = (field: string) => `${field} must be 2–64 capital letters, digits or hyphens, e.g. FROME-CH-01`;

export class RegisterSiteDto {
  @ApiProperty({ example: 'FROME-CH' }) @Matches(ID, { message: ID_MESSAGE('siteId') }) siteId!: string;
  @ApiProperty({ example: 'Frome Community Hospital' }) @IsString() @Length(2, 120) name!: string;
  @ApiProperty({ enum: SITE_KINDS }) @IsIn(SITE_KINDS) kind!: SiteKind;
  @ApiProperty({ example: 'MENDIP', description: 'An area code from the reference data' })
  @Matches(/^[A-Z_]{2,40}$/, { message: 'locality must be an area code, e.g. MENDIP' })
  locality!: string;
  @ApiProperty({ example: 'ZZB01' }) @IsString() @Length(3, 6) odsCode!: string;
  @ApiPropertyOptional({ description: 'True where the ODS code has not been checked against the ODS register' })
  @IsOptional()
  @IsBoolean()
  odsCodeIllustrative?: boolean;
}

export class CloseSiteDto {
  @ApiProperty({ enum: SITE_CLOSURE_REASONS }) @IsIn(SITE_CLOSURE_REASONS) reason!: SiteClosureReason;
}

export class CommissionBedDto {
  @ApiProperty({ example: 'FROME-CH-13' }) @Matches(ID, { message: ID_MESSAGE('bedId') }) bedId!: string;
  @ApiProperty({ example: 'FROME-CH' }) @Matches(ID, { message: ID_MESSAGE('siteId') }) siteId!: string;
  @ApiPropertyOptional({ example: 'Frome CH, Bay 2 bed 4', description: 'No personal data' })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  label?: string;
  @ApiProperty({ enum: [2, 3] }) @IsIn([2, 3]) pathway!: BedPathway;
  @ApiProperty({ enum: [...P2_BED_CATEGORIES, ...P3_BED_CATEGORIES] })
  @IsIn([...P2_BED_CATEGORIES, ...P3_BED_CATEGORIES])
  category!: BedCategory;
  @ApiProperty({ enum: BED_CAPABILITIES, isArray: true })
  @IsArray()
  @ArrayMaxSize(BED_CAPABILITIES.length)
  @IsIn(BED_CAPABILITIES, { each: true })
  capabilities!: BedCapability[];
  @ApiProperty({ enum: BAY_SEXES }) @IsIn(BAY_SEXES) baySex!: BaySex;
  @ApiProperty({ enum: FUNDING_TYPES }) @IsIn(FUNDING_TYPES) funding!: Funding;
  @ApiProperty({ example: 1, description: 'Place in the hierarchy of use (reference data)' })
  @IsInt()
  @Min(1)
  @Max(20)
  tier!: number;
  @ApiPropertyOptional({ description: 'A winter escalation bed: commissioned stood down' })
  @IsOptional()
  @IsBoolean()
  escalation?: boolean;
}

export class CloseBedDto {
  @ApiProperty({ enum: BED_CLOSURE_REASONS }) @IsIn(BED_CLOSURE_REASONS) reason!: BedClosureReason;
}

export class LeaveBedDto {
  @ApiProperty({ enum: LEAVING_OUTCOMES }) @IsIn(LEAVING_OUTCOMES) outcome!: LeavingOutcome;
}

export class ReserveBedDto {
  @ApiProperty({ example: 'FROME-CH-01' }) @Matches(ID, { message: ID_MESSAGE('bedId') }) bedId!: string;
  @ApiPropertyOptional({ example: 24, description: `How long to hold the bed; default 24, at most ${MAX_RESERVATION_HOURS}` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_RESERVATION_HOURS)
  expiresInHours?: number;
}
