import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
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
  CLIENT_GROUPS,
  LANGUAGE_PATTERN,
  NATIONALITY_PATTERN,
  PROVINCE_CODES,
  RISK_GROUPS,
  SERVICES,
} from '@nrm/contracts';

export const REGIONS = ['northern', 'northeastern', 'central', 'eastern', 'western', 'southern'] as const;

export const ORGANISATION_KINDS = [
  'government',
  'shelter',
  'hospital',
  'ngo',
  'international',
  'embassy',
  'legal-aid',
  'interpreter',
] as const;

export class ProvinceUpdate {
  @ApiProperty({ enum: RISK_GROUPS })
  @IsIn(RISK_GROUPS)
  riskGroup!: string;

  @ApiProperty({ example: 2027, description: 'The fiscal year the risk group was set for' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  riskGroupFiscalYear!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(3, 200)
  operationCentreNameEn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(3, 200)
  operationCentreNameTh?: string;
}

export class OfferedService {
  @ApiProperty({ enum: SERVICES })
  @IsIn(SERVICES)
  service!: string;

  @ApiProperty({ nullable: true, description: 'Places (e.g. shelter beds); null when not limited' })
  @ValidateIf((offered: OfferedService) => offered.capacity !== null)
  @IsInt()
  @Min(0)
  @Max(100_000)
  capacity!: number | null;
}

export class OrganisationEntry {
  @ApiProperty()
  @IsString()
  @Length(2, 200)
  nameEn!: string;

  @ApiProperty()
  @IsString()
  @Length(2, 200)
  nameTh!: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS)
  kind!: string;

  @ApiProperty()
  @IsBoolean()
  active!: boolean;

  @ApiProperty({ description: 'Covers every province' })
  @IsBoolean()
  nationwide!: boolean;

  @ApiProperty({ enum: PROVINCE_CODES, isArray: true })
  @IsArray()
  @ArrayMaxSize(PROVINCE_CODES.length)
  @IsIn(PROVINCE_CODES, { each: true })
  provinces!: string[];

  @ApiProperty({ example: ['tha', 'mya'] })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(LANGUAGE_PATTERN, { each: true })
  languages!: string[];

  @ApiProperty({ enum: CLIENT_GROUPS, isArray: true, description: 'Empty: accepts everyone' })
  @IsArray()
  @ArrayMaxSize(CLIENT_GROUPS.length)
  @IsIn(CLIENT_GROUPS, { each: true })
  clientGroups!: string[];

  @ApiProperty({ example: ['MMR'], description: 'Empty: serves every nationality' })
  @IsArray()
  @ArrayMaxSize(250)
  @Matches(NATIONALITY_PATTERN, { each: true })
  nationalities!: string[];

  @ApiProperty({ type: [OfferedService] })
  @IsArray()
  @ArrayMaxSize(SERVICES.length)
  @ValidateNested({ each: true })
  @Type(() => OfferedService)
  services!: OfferedService[];
}

export class CapacityUpdate {
  @ApiProperty({ nullable: true })
  @ValidateIf((update: CapacityUpdate) => update.capacity !== null)
  @IsInt()
  @Min(0)
  @Max(100_000)
  capacity!: number | null;
}

export class OrganisationQuery {
  @ApiPropertyOptional({ enum: SERVICES })
  @IsOptional()
  @IsIn(SERVICES)
  service?: string;

  @ApiPropertyOptional({ enum: PROVINCE_CODES })
  @IsOptional()
  @IsIn(PROVINCE_CODES)
  province?: string;
}
