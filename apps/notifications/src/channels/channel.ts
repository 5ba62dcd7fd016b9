import type { RenderedNotice } from '../notices/templates';

/** One delivery as a channel sends it: the address and both forms of the content. */
export interface OutboundMessage {
  /** Also the idempotency key given to providers that honour one. */
  deliveryId: string;
  /** An e-mail address, a phone number, a LINE user id or a webhook URL. */
  address: string;
  /** A webhook endpoint's signing secret. */
  secret?: string;
  rendered: RenderedNotice;
  /** The JSON a partner system receives. */
  payload: object;
}

export interface ChannelOutcome {
  /** `delivered` when the receiving system confirmed it has the message, `sent` when it only accepted it. */
  status: 'sent' | 'delivered';
  responseStatus?: number;
}

/** An attempt failed; another may succeed. */
export class DeliveryAttemptFailed extends Error {
  constructor(
    message: string,
    readonly responseStatus?: number,
    /** Trying again cannot help (the address is refused, the endpoint is gone). */
    readonly permanent = false,
  ) {
    super(message);
  }
}

export interface NotificationChannel {
  send(message: OutboundMessage): Promise<ChannelOutcome>;
}
