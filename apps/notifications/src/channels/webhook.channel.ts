import { Webhook } from 'standardwebhooks';
import { ChannelOutcome, NotificationChannel, OutboundMessage } from './channel';
import { postJson } from './http-post';

/** The endpoint says it is gone for good. */
const GONE = 410;

/**
 * Signed JSON to a partner organisation's system, in the Standard Webhooks
 * form: `webhook-id` (the delivery id, for the receiver to drop repeats),
 * `webhook-timestamp`, and `webhook-signature` (HMAC-SHA256 of id, timestamp
 * and body with the endpoint's secret).
 */
export class WebhookChannel implements NotificationChannel {
  constructor(private readonly timeoutMs: number) {}

  async send(message: OutboundMessage): Promise<ChannelOutcome> {
    if (!message.secret) throw new Error('A webhook delivery needs its endpoint secret');
    const body = JSON.stringify(message.payload);
    const timestamp = new Date();
    const signature = new Webhook(message.secret).sign(message.deliveryId, timestamp, body);
    const responseStatus = await postJson(
      message.address,
      body,
      {
        'webhook-id': message.deliveryId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
        'user-agent': 'nrm-flow-webhooks/1',
      },
      this.timeoutMs,
      { permanentStatuses: [GONE] },
    );
    return { status: 'delivered', responseStatus };
  }
}
