import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DURATION_UNITS } from './working-time';

/** Every kind of deadline the province keeps; policies (durations) are data, these names are code. */
export const DeadlineKinds = {
  acceptance: 'provincial-acceptance',
  transferResponse: 'transfer-response',
  identificationHold: 's29-hold',
  mdtInterview: 'mdt-interview',
  offerResponse: 'offer-response',
  followUpVisit: 'follow-up-visit',
} as const;
export type DeadlineKind = (typeof DeadlineKinds)[keyof typeof DeadlineKinds];
export const DEADLINE_KINDS = Object.values(DeadlineKinds);

/** The longest extension of the s.29 hold a court may order. */
export const MAX_HOLD_EXTENSION_DAYS = 7;

export class DeadlinePolicyUpdate {
  @ApiProperty({ example: [24], description: 'One deadline per amount (follow-up visits have several)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(100_000, { each: true })
  amounts!: number[];

  @ApiProperty({ example: [2], description: 'For urgent cases; empty to use the same amounts' })
  @IsArray()
  @ArrayMaxSize(12)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(100_000, { each: true })
  urgentAmounts!: number[];

  @ApiProperty({ enum: DURATION_UNITS })
  @IsIn(DURATION_UNITS)
  unit!: string;

  @ApiProperty()
  @IsString()
  @Length(3, 500)
  description!: string;
}

export class HolidayEntry {
  @ApiProperty({ example: '2026-12-10' })
  @IsISO8601({ strict: true })
  @Length(10, 10)
  date!: string;

  @ApiProperty()
  @IsString()
  @Length(2, 200)
  nameEn!: string;

  @ApiProperty()
  @IsString()
  @Length(2, 200)
  nameTh!: string;
}

export class HolidayCalendar {
  @ApiProperty({ type: [HolidayEntry] })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => HolidayEntry)
  holidays!: HolidayEntry[];
}
