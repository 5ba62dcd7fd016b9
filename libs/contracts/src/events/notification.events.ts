import { IsIn, IsString, IsUUID, Length } from 'class-validator';
import { defineEvent } from '../contract';
import { Streams } from '../streams';

export const NOTIFICATION_CHANNELS = ['in-app', 'email', 'webhook', 'sms', 'line'] as const;

export class NotificationRecordedPayload {
  @IsUUID()
  notificationId!: string;

  @IsUUID()
  caseId!: string;

  @IsIn(NOTIFICATION_CHANNELS)
  channel!: string;

  /** A role-and-scope address such as `province:TH-63:coordinators`, never a person. */
  @IsString()
  @Length(1, 200)
  recipient!: string;

  @IsString()
  @Length(1, 100)
  kind!: string;
}

export const NotificationRecorded = defineEvent({
  type: 'notification.recorded',
  version: 1,
  stream: Streams.notification,
  payload: NotificationRecordedPayload,
});
