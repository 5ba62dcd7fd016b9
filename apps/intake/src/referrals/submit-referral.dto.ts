import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  AGE_BANDS,
  CAME_TO_NOTICE_VIA,
  CHILD_CONSENT_BASES,
  CONTACT_CHANNELS,
  DANGER_LEVELS,
  DISABILITY_KINDS,
  EXPLOITATION_TYPES,
  FORCED_LABOUR_INDICATORS,
  FORCED_LABOUR_SECTORS,
  GENDERS,
  IMMIGRATION_DOCUMENT_STATUSES,
  LANGUAGE_PATTERN,
  MEDICAL_NEEDS,
  METHODS_OF_CONTROL,
  NATIONALITY_PATTERN,
  PREGNANCY_GENDERS,
  PROVINCE_CODES,
} from '@nrm/contracts';
import { ageAgreesWithBand, isChildBand, resolveAgeBand } from './age-band';
import { CodeOrAbsent, NotInFuture, Rule } from './referral-rules';

/** YYYY-MM-DDTHH:MM[:SS[.sss]] with Z or an offset. */
export const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const STAFF_ID = { min: 1, max: 100 };

export class ReferrerDto {
  @ApiProperty({
    description: 'Directory id of the referring organisation',
    example: 'tak-immigration-police',
  })
  @IsString()
  @Length(2, 100)
  @Matches(/^[a-z0-9-]+$/)
  organisation!: string;

  @ApiProperty({ description: "The referring officer's staff id (kept encrypted)", example: 'officer-1042' })
  @IsString()
  @Length(STAFF_ID.min, STAFF_ID.max)
  officer!: string;

  @ApiProperty({ enum: CONTACT_CHANNELS })
  @IsIn(CONTACT_CHANNELS)
  contactChannel!: string;
}

export class FoundDto {
  @ApiProperty({
    description: 'ISO 3166-2:TH code of the province where the person was found',
    example: 'TH-63',
  })
  @IsIn(PROVINCE_CODES)
  provinceCode!: string;

  @ApiPropertyOptional({ example: 'Mae Sot', description: 'Kept encrypted' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  district?: string;

  @ApiProperty({ example: '2026-11-20', description: 'Not in the future (date in Thailand)' })
  @IsDateString({ strict: true })
  @Length(10, 10)
  @NotInFuture()
  date!: string;
}

export class PersonDto {
  @ApiPropertyOptional({ description: 'Age in years, when known', minimum: 0, maximum: 120 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  age?: number;

  @ApiPropertyOptional({ enum: AGE_BANDS, description: 'Age band; required when the age is not known' })
  @Rule<PersonDto>('ageOrAgeBand', (band, person) => band !== undefined || person.age !== undefined)
  @CodeOrAbsent(AGE_BANDS)
  @Rule<PersonDto>('matchesAge', (band, person) => ageAgreesWithBand(person.age, band))
  ageBand?: string;

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS)
  gender!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-3 nationality (XXA stateless, XXX unknown)', example: 'MMR' })
  @IsString()
  @Matches(NATIONALITY_PATTERN)
  nationality!: string;

  @ApiPropertyOptional({ type: [String], description: 'ISO 639-3 codes', example: ['mya', 'tha'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(LANGUAGE_PATTERN, { each: true })
  languages?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  interpreterNeeded?: boolean;

  @ApiPropertyOptional({ description: 'Kept encrypted' })
  @IsOptional()
  @IsBoolean()
  disability?: boolean;

  @ApiPropertyOptional({ enum: DISABILITY_KINDS, isArray: true, description: 'Only with disability: true' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(DISABILITY_KINDS.length)
  @ArrayUnique()
  @IsIn(DISABILITY_KINDS, { each: true })
  @Rule<PersonDto>('onlyWithDisability', (_kinds, person) => person.disability === true)
  disabilityKinds?: string[];

  @ApiPropertyOptional({ description: 'Only for gender female, other or unknown (kept encrypted)' })
  @IsOptional()
  @IsBoolean()
  @Rule<PersonDto>('notWithGender', (_pregnancy, person) => PREGNANCY_GENDERS.includes(person.gender))
  pregnancy?: boolean;

  @ApiPropertyOptional({ enum: IMMIGRATION_DOCUMENT_STATUSES, default: 'unknown' })
  @IsOptional()
  @IsIn(IMMIGRATION_DOCUMENT_STATUSES)
  immigrationDocumentStatus?: string;
}

export class IndicatorsDto {
  @ApiPropertyOptional({ enum: FORCED_LABOUR_INDICATORS, isArray: true, description: "ILO's indicators" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FORCED_LABOUR_INDICATORS.length)
  @ArrayUnique()
  @IsIn(FORCED_LABOUR_INDICATORS, { each: true })
  forcedLabour?: string[];

  @ApiPropertyOptional({ enum: METHODS_OF_CONTROL, isArray: true, description: "HTCDS's methods of control" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(METHODS_OF_CONTROL.length)
  @ArrayUnique()
  @IsIn(METHODS_OF_CONTROL, { each: true })
  methodsOfControl?: string[];
}

export class NeedsDto {
  @ApiProperty({ enum: DANGER_LEVELS })
  @IsIn(DANGER_LEVELS)
  dangerLevel!: string;

  @ApiProperty({ enum: MEDICAL_NEEDS })
  @IsIn(MEDICAL_NEEDS)
  medical!: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  shelter?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  legalAid?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  interpreter?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  wishToReturnHome?: boolean;
}

/** Who recorded a decision and when (staff ids are kept encrypted). */
export class RecordedDto {
  @ApiProperty({ description: 'Staff id of who recorded it', example: 'officer-1042' })
  @IsString()
  @Length(STAFF_ID.min, STAFF_ID.max)
  recordedBy!: string;

  @ApiProperty({ example: '2026-11-20T09:30:00+07:00', description: 'ISO 8601 date-time, not in the future' })
  @IsString()
  @Matches(DATE_TIME_PATTERN)
  @IsISO8601({ strict: true })
  @NotInFuture()
  recordedAt!: string;
}

/** An adult's consent, purpose by purpose. */
export class ConsentDto extends RecordedDto {
  @ApiProperty({ description: 'The person agrees that their case is shared with service providers' })
  @IsBoolean()
  shareWithServiceProviders!: boolean;

  @ApiProperty({ description: 'The person agrees to be contacted later' })
  @IsBoolean()
  contactLater!: boolean;
}

/** For a child: a guardian's consent or a best-interest decision stands in for consent. */
export class GuardianOrBestInterestDto extends RecordedDto {
  @ApiProperty({ enum: CHILD_CONSENT_BASES })
  @IsIn(CHILD_CONSENT_BASES)
  kind!: string;
}

/** Identifying details: encrypted at rest, never in events, logs or error messages. */
export class IdentityDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  fullName?: string;

  @ApiPropertyOptional({ example: '1990-01-31' })
  @IsOptional()
  @IsDateString({ strict: true })
  @Length(10, 10)
  @NotInFuture()
  dateOfBirth?: string;

  @ApiPropertyOptional({
    description: 'Passport or ID number; compared (as a keyed hash) to spot duplicates',
  })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  documentNumber?: string;

  @ApiPropertyOptional({ type: [String], description: 'Further document numbers' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  otherDocumentNumbers?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(3, 30)
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 500)
  address?: string;
}

/** Child, adult, or not known yet (the age fields are invalid). */
export function isChildReferral(referral: Pick<SubmitReferralDto, 'person'>): boolean | undefined {
  const person = referral.person as PersonDto | undefined;
  const band = person && typeof person === 'object' ? resolveAgeBand(person.age, person.ageBand) : undefined;
  return band === undefined ? undefined : isChildBand(band);
}

function suspectsForcedLabour(referral: SubmitReferralDto): boolean {
  return Array.isArray(referral.exploitationTypes) && referral.exploitationTypes.includes('forced-labour');
}

export class SubmitReferralDto {
  @ApiProperty({ type: ReferrerDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ReferrerDto)
  referrer!: ReferrerDto;

  @ApiProperty({ enum: CAME_TO_NOTICE_VIA })
  @IsIn(CAME_TO_NOTICE_VIA)
  cameToNoticeVia!: string;

  @ApiProperty({ type: FoundDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => FoundDto)
  found!: FoundDto;

  @ApiProperty({ type: PersonDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PersonDto)
  person!: PersonDto;

  @ApiProperty({ enum: EXPLOITATION_TYPES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EXPLOITATION_TYPES.length)
  @ArrayUnique()
  @IsIn(EXPLOITATION_TYPES, { each: true })
  exploitationTypes!: string[];

  @ApiPropertyOptional({
    enum: FORCED_LABOUR_SECTORS,
    description: 'Required when forced-labour is suspected',
  })
  @ValidateIf((r: SubmitReferralDto) => r.forcedLabourSector !== undefined || suspectsForcedLabour(r))
  @Rule('requiredForForcedLabour', (sector) => sector !== undefined)
  @Rule<SubmitReferralDto>(
    'onlyForForcedLabour',
    (sector, r) => sector === undefined || suspectsForcedLabour(r),
  )
  @CodeOrAbsent(FORCED_LABOUR_SECTORS)
  forcedLabourSector?: string;

  @ApiPropertyOptional({ type: IndicatorsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => IndicatorsDto)
  indicators?: IndicatorsDto;

  @ApiProperty({ type: NeedsDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => NeedsDto)
  needs!: NeedsDto;

  @ApiPropertyOptional({ type: ConsentDto, description: 'Required for an adult (18 or over)' })
  @ValidateIf((r: SubmitReferralDto) => r.consent !== undefined || isChildReferral(r) === false)
  @Rule('requiredForAdult', (consent) => consent !== undefined)
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;

  @ApiPropertyOptional({ type: GuardianOrBestInterestDto, description: 'Required for a child (under 18)' })
  @ValidateIf((r: SubmitReferralDto) => r.guardianOrBestInterest !== undefined || isChildReferral(r) === true)
  @Rule('requiredForChild', (decision) => decision !== undefined)
  @Rule<SubmitReferralDto>(
    'onlyForChild',
    (decision, r) => decision === undefined || isChildReferral(r) !== false,
  )
  @ValidateNested()
  @Type(() => GuardianOrBestInterestDto)
  guardianOrBestInterest?: GuardianOrBestInterestDto;

  @ApiPropertyOptional({ type: IdentityDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityDto)
  identity?: IdentityDto;

  @ApiPropertyOptional({
    description: 'What happened, in the words of the person or the referrer (kept encrypted)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 20_000)
  narrative?: string;
}
