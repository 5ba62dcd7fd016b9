import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsEmail, IsIn, Matches, ValidateIf } from 'class-validator';

export const LANGUAGES = ['th', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Channels a person may choose; webhooks belong to organisations' systems, not to people. */
export const PERSONAL_CHANNELS = ['email', 'sms', 'line'] as const;

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** How one member of staff wants to hear: channels, language and quiet hours. */
export class SubscriberPreferences {
  @ApiProperty({ enum: LANGUAGES })
  @IsIn(LANGUAGES)
  language!: Language;

  @ApiProperty({
    enum: PERSONAL_CHANNELS,
    isArray: true,
    description: 'Beyond the in-app inbox, which is always on',
  })
  @IsArray()
  @ArrayUnique()
  @IsIn(PERSONAL_CHANNELS, { each: true })
  channels!: string[];

  @ApiPropertyOptional()
  @ValidateIf(
    (preferences: SubscriberPreferences) =>
      preferences.channels?.includes('email') || preferences.email !== undefined,
  )
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ description: 'E.164, for SMS' })
  @ValidateIf(
    (preferences: SubscriberPreferences) =>
      preferences.channels?.includes('sms') || preferences.phone !== undefined,
  )
  @Matches(/^\+[1-9]\d{7,14}$/)
  phone?: string;

  @ApiPropertyOptional({ description: 'The LINE user id the official account pushes to' })
  @ValidateIf(
    (preferences: SubscriberPreferences) =>
      preferences.channels?.includes('line') || preferences.lineUserId !== undefined,
  )
  @Matches(/^U[0-9a-f]{32}$/i)
  lineUserId?: string;

  @ApiPropertyOptional({ example: '22:00', description: 'Bangkok time; urgent notices ignore quiet hours' })
  @ValidateIf(
    (preferences: SubscriberPreferences) =>
      preferences.quietUntil !== undefined || preferences.quietFrom !== undefined,
  )
  @Matches(TIME_OF_DAY)
  quietFrom?: string;

  @ApiPropertyOptional({ example: '07:00' })
  @ValidateIf(
    (preferences: SubscriberPreferences) =>
      preferences.quietFrom !== undefined || preferences.quietUntil !== undefined,
  )
  @Matches(TIME_OF_DAY)
  quietUntil?: string;
}
