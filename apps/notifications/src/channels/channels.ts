import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ExternalChannel, NotificationSettings } from '../settings/notification-settings';
import { NotificationChannel } from './channel';
import { EmailChannel } from './email.channel';
import { MessageFolder } from './message-folder';
import { FolderTextChannel, LinePushChannel, SmsGatewayChannel } from './text-message.channels';
import { WebhookChannel } from './webhook.channel';

/** Each channel's adapter, chosen by configuration: a real provider, or the development folder. */
@Injectable()
export class Channels implements OnApplicationShutdown {
  private readonly email: EmailChannel;
  private readonly adapters: Record<ExternalChannel, NotificationChannel>;

  constructor(settings: NotificationSettings) {
    const folder = new MessageFolder(settings.messageFolder);
    const timeout = settings.deliveryTimeoutMs;
    const sms = settings.smsGateway;
    const line = settings.line;
    this.email = new EmailChannel(settings.smtpFrom, settings.smtpUrl, folder, timeout);
    this.adapters = {
      email: this.email,
      webhook: new WebhookChannel(timeout),
      sms: sms ? new SmsGatewayChannel(sms, timeout) : new FolderTextChannel('sms', folder),
      line: line ? new LinePushChannel(line, timeout) : new FolderTextChannel('line', folder),
    };
  }

  of(channel: ExternalChannel): NotificationChannel {
    return this.adapters[channel];
  }

  onApplicationShutdown(): void {
    this.email.close();
  }
}
