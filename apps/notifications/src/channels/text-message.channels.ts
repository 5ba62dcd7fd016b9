import { ChannelOutcome, NotificationChannel, OutboundMessage } from './channel';
import { postJson } from './http-post';
import { MessageFolder } from './message-folder';

/** With no provider configured, a text message is written to the message folder as JSON. */
export class FolderTextChannel implements NotificationChannel {
  constructor(
    private readonly channel: 'sms' | 'line',
    private readonly folder: MessageFolder,
  ) {}

  async send(message: OutboundMessage): Promise<ChannelOutcome> {
    const content = JSON.stringify({ to: message.address, text: message.rendered.short }, null, 2);
    await this.folder.write(this.channel, message.deliveryId, 'json', content);
    return { status: 'delivered' };
  }
}

/** An SMS gateway that takes JSON with a bearer token (most Thai bulk-SMS providers offer one). */
export class SmsGatewayChannel implements NotificationChannel {
  constructor(
    private readonly gateway: { url: string; token: string },
    private readonly timeoutMs: number,
  ) {}

  async send(message: OutboundMessage): Promise<ChannelOutcome> {
    const body = JSON.stringify({
      to: message.address,
      text: message.rendered.short,
      reference: message.deliveryId,
    });
    const responseStatus = await postJson(
      this.gateway.url,
      body,
      { authorization: `Bearer ${this.gateway.token}` },
      this.timeoutMs,
    );
    return { status: 'sent', responseStatus };
  }
}

/** LINE answers 409 to a retry key it has already accepted: the message went out before. */
const ALREADY_ACCEPTED = 409;

/**
 * LINE Messaging API push messages. The delivery id is the retry key, so LINE
 * itself drops a repeat of a push it already accepted.
 */
export class LinePushChannel implements NotificationChannel {
  constructor(
    private readonly line: { apiUrl: string; accessToken: string },
    private readonly timeoutMs: number,
  ) {}

  async send(message: OutboundMessage): Promise<ChannelOutcome> {
    const body = JSON.stringify({
      to: message.address,
      messages: [{ type: 'text', text: message.rendered.short }],
    });
    const responseStatus = await postJson(
      `${this.line.apiUrl}/v2/bot/message/push`,
      body,
      { authorization: `Bearer ${this.line.accessToken}`, 'x-line-retry-key': message.deliveryId },
      this.timeoutMs,
      { acceptedStatuses: [ALREADY_ACCEPTED] },
    );
    return { status: 'sent', responseStatus };
  }
}
