import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
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
  EXPLOITATION_TYPES,
  GENDERS,
  NATIONALITY_PATTERN,
  PROVINCE_CODES,
} from '@nrm/contracts';

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
  @Length(1, 100)
  officer!: string;

  @ApiProperty({ enum: ['phone', 'email', 'line', 'in-person'] })
  @IsIn(['phone', 'email', 'line', 'in-person'])
  contactChannel!: string;
}

export class FoundDto {
  @ApiProperty({
    description: 'ISO 3166-2:TH code of the province where the person was found',
    example: 'TH-63',
  })
  @IsIn(PROVINCE_CODES)
  provinceCode!: string;

  @ApiPropertyOptional({ example: 'Mae Sot' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  district?: string;

  @ApiProperty({ example: '2026-11-20' })
  @IsDateString({ strict: true })
  @Length(10, 10)
  date!: string;
}

export class PersonDto {
  @ApiPropertyOptional({ description: 'Age in years, when known', minimum: 0, maximum: 120 })
  @ValidateIf((person: PersonDto) => person.ageBand === undefined || person.age !== undefined)
  @IsInt()
  @Min(0)
  @Max(120)
  age?: number;

  @ApiPropertyOptional({ enum: AGE_BANDS, description: 'Age band, when the exact age is not known' })
  @ValidateIf((person: PersonDto) => person.age === undefined || person.ageBand !== undefined)
  @IsIn(AGE_BANDS)
  ageBand?: string;

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS)
  gender!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-3 nationality (XXA stateless, XXX unknown)', example: 'MMR' })
  @Matches(NATIONALITY_PATTERN)
  nationality!: string;

  @ApiPropertyOptional({ type: [String], example: ['mya', 'tha'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(/^[a-z]{3}$/, { each: true })
  languages?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  interpreterNeeded?: boolean;
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
  dateOfBirth?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 50)
  documentNumber?: string;

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

export class SubmitReferralDto {
  @ApiProperty({ type: ReferrerDto })
  @ValidateNested()
  @Type(() => ReferrerDto)
  referrer!: ReferrerDto;

  @ApiProperty({ enum: CAME_TO_NOTICE_VIA })
  @IsIn(CAME_TO_NOTICE_VIA)
  cameToNoticeVia!: string;

  @ApiProperty({ type: FoundDto })
  @ValidateNested()
  @Type(() => FoundDto)
  found!: FoundDto;

  @ApiProperty({ type: PersonDto })
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
