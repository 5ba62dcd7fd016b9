import { Injectable, Logger } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { Metrics } from '@nrm/observability';
import { FieldCipher, fieldCipherOf, SqlExecutor } from '@nrm/persistence';
import { Channels } from '../channels/channels';
import { DeliveryAttemptFailed, OutboundMessage } from '../channels/channel';
import type { Language } from '../audiences/subscriber.dto';
import { webhookPayload } from '../notices/webhook-payload';
import { render } from '../notices/templates';
import { NoticeFacts } from '../notices/notice-kinds';
import { NotificationsDatabase, NotificationsTx } from '../persistence/notifications-database.service';
import { ExternalChannel, NotificationSettings } from '../settings/notification-settings';

/** How a delivery ended without being sent, when the claim itself ended it. */
interface Ended {
  channel: string;
  outcome: 'unknown' | 'failed' | 'suspended';
}

/** The delivery, locked, with its notice and its recipient's address, as the claim reads them in one query. */
interface ClaimRow {
  id: string;
  channel: string;
  recipient: string;
  status: string;
  attempts: number;
  eventId: string;
  kind: string;
  caseId: string | null;
  facts: unknown;
  createdAt: Date;
  subscriberActive: boolean | null;
  email: string | null;
  phone: string | null;
  lineUserId: string | null;
  language: string | null;
  endpointUrl: string | null;
  endpointSecret: string | null;
  endpointEnabled: boolean | null;
}

type ClaimedDelivery = Pick<ClaimRow, 'id' | 'channel' | 'recipient' | 'attempts'>;

type Claim = { delivery: ClaimedDelivery; message: OutboundMessage } | { done: string; ended?: Ended };

const FINISHED = new Set(['sent', 'delivered', 'failed', 'unknown', 'suspended']);

/**
 * Sends one delivery at most once. The attempt is recorded (status `sending`)
 * and committed before anything leaves; the outcome is recorded after. A
 * sender that finds `sending` left behind knows the last attempt was cut off
 * and cannot know whether it went out, so it marks the delivery `unknown`
 * instead of risking a second message.
 */
@Injectable()
export class DeliverySender {
  private readonly logger = new Logger(DeliverySender.name);
  private readonly cipher: FieldCipher;
  private readonly outcomes;

  constructor(
    platform: PlatformSettings,
    private readonly settings: NotificationSettings,
    private readonly db: NotificationsDatabase,
    private readonly channels: Channels,
    metrics: Metrics,
  ) {
    this.cipher = fieldCipherOf(platform);
    this.outcomes = metrics.counter({
      name: 'nrm_notification_deliveries_total',
      help: 'Delivery attempts and how they ended, by channel: sent, delivered, retrying, failed, suspended, unknown',
      labelNames: ['channel', 'outcome'] as const,
    });
  }

  /** Returns whether the job should be retried (the attempt failed and attempts remain). */
  async deliver(deliveryId: string): Promise<{ retry: false } | { retry: true; error: Error }> {
    const claim = await this.db.$transaction((tx) => this.claim(tx, deliveryId));
    if ('done' in claim) {
      if (claim.ended) this.outcomes.inc(claim.ended);
      this.logger.log({ message: 'Delivery needs no attempt', deliveryId, why: claim.done });
      return { retry: false };
    }
    const { delivery, message } = claim;
    try {
      const outcome = await this.channels.of(delivery.channel as ExternalChannel).send(message);
      await this.succeeded(delivery, outcome.status, outcome.responseStatus);
      this.outcomes.inc({ channel: delivery.channel, outcome: outcome.status });
      this.logger.log({
        message: 'Delivered',
        deliveryId,
        channel: delivery.channel,
        status: outcome.status,
      });
      return { retry: false };
    } catch (error) {
      const failure =
        error instanceof DeliveryAttemptFailed
          ? error
          : new DeliveryAttemptFailed(describe(error), undefined, true);
      const status = await this.db.$transaction((tx) => this.failed(tx, delivery, failure));
      const retry = status === 'queued';
      this.outcomes.inc({ channel: delivery.channel, outcome: retry ? 'retrying' : status });
      this.logger.warn({
        message: retry ? 'Delivery attempt failed; will retry' : 'Delivery failed',
        deliveryId,
        channel: delivery.channel,
        attempt: delivery.attempts,
        error: failure.message,
      });
      return retry ? { retry: true, error: failure } : { retry: false };
    }
  }

  private async claim(tx: NotificationsTx, deliveryId: string): Promise<Claim> {
    const [row] = await tx.$queryRawUnsafe<ClaimRow[]>(
      `SELECT d.id, d.channel, d.recipient, d.status::text AS status, d.attempts,
              n.event_id AS "eventId", n.kind, n.case_id AS "caseId", n.facts, n.created_at AS "createdAt",
              s.active AS "subscriberActive", s.email, s.phone, s.line_user_id AS "lineUserId", s.language,
              w.url AS "endpointUrl", w.secret AS "endpointSecret", w.enabled AS "endpointEnabled"
         FROM delivery d
         JOIN notice n ON n.id = d.notice_id
         LEFT JOIN subscriber s ON d.channel <> 'webhook' AND s.account_id = d.recipient
         LEFT JOIN webhook_endpoint w ON d.channel = 'webhook' AND w.id::text = d.recipient
        WHERE d.id = $1::uuid
          FOR UPDATE OF d`,
      deliveryId,
    );
    if (!row) return { done: 'not committed or gone' };
    const delivery: ClaimedDelivery = row;
    if (FINISHED.has(row.status)) return { done: row.status };
    if (row.status === 'sending') {
      await this.finish(tx, delivery, 'unknown', 'interrupted', {
        error: 'The sender stopped while sending; not sent again so that nobody is told twice',
      });
      return { done: 'interrupted before', ended: { channel: row.channel, outcome: 'unknown' } };
    }
    const destination = this.destination(row);
    if ('unavailable' in destination) {
      const status = destination.unavailable === 'endpoint disabled' ? 'suspended' : 'failed';
      await tx.delivery.update({
        where: { id: row.id },
        data: {
          status,
          lastError: destination.unavailable,
          ...(status === 'failed' ? { finishedAt: new Date() } : {}),
        },
      });
      return { done: destination.unavailable, ended: { channel: row.channel, outcome: status } };
    }
    const attempt = row.attempts + 1;
    await tx.$executeRawUnsafe(
      `WITH claimed AS (UPDATE delivery SET status = 'sending', attempts = $2 WHERE id = $1::uuid)
       INSERT INTO delivery_attempt (delivery_id, attempt, started_at) VALUES ($1::uuid, $2, now())`,
      row.id,
      attempt,
    );
    const notice = { kind: row.kind, caseId: row.caseId, facts: row.facts as NoticeFacts };
    return {
      delivery: { ...delivery, attempts: attempt },
      message: {
        deliveryId: row.id,
        address: destination.address,
        secret: destination.secret,
        rendered: render(notice, destination.language, this.settings.consoleUrl),
        payload: webhookPayload(row.id, row, this.settings.consoleUrl),
      },
    };
  }

  private destination(
    row: ClaimRow,
  ): { address: string; secret?: string; language: Language } | { unavailable: string } {
    if (row.channel === 'webhook') {
      if (row.endpointEnabled === null) return { unavailable: 'endpoint removed' };
      if (!row.endpointEnabled) return { unavailable: 'endpoint disabled' };
      return {
        address: row.endpointUrl as string,
        secret: this.cipher.decrypt<string>(row.endpointSecret as string),
        language: 'en',
      };
    }
    if (!row.subscriberActive) return { unavailable: 'recipient no longer active' };
    const address = { email: row.email, sms: row.phone, line: row.lineUserId }[
      row.channel as 'email' | 'sms' | 'line'
    ];
    if (!address) return { unavailable: `recipient has no ${row.channel} address` };
    return { address, language: row.language as Language };
  }

  private async succeeded(
    delivery: ClaimedDelivery,
    status: 'sent' | 'delivered',
    responseStatus: number | undefined,
  ): Promise<void> {
    await this.finish(this.db, delivery, status, status, { responseStatus });
  }

  /** Records a failed attempt; returns the delivery's status now (`queued` when another attempt follows). */
  private async failed(
    tx: NotificationsTx,
    delivery: ClaimedDelivery,
    failure: DeliveryAttemptFailed,
  ): Promise<'queued' | 'failed' | 'suspended'> {
    const exhausted = failure.permanent || delivery.attempts >= this.settings.deliveryMaxAttempts;
    const disabled =
      delivery.channel === 'webhook' && (await this.countEndpointFailure(tx, delivery.recipient, failure));
    const status = disabled ? 'suspended' : exhausted ? 'failed' : 'queued';
    await tx.deliveryAttempt.update({
      where: { deliveryId_attempt: { deliveryId: delivery.id, attempt: delivery.attempts } },
      data: {
        finishedAt: new Date(),
        outcome: 'failed',
        error: failure.message,
        responseStatus: failure.responseStatus,
      },
    });
    await tx.delivery.update({
      where: { id: delivery.id },
      data: {
        status,
        lastError: failure.message,
        ...(status === 'failed' ? { finishedAt: new Date() } : {}),
      },
    });
    return status;
  }

  /** Counts a failed attempt against the endpoint; returns whether it is disabled now. */
  private async countEndpointFailure(
    tx: NotificationsTx,
    endpointId: string,
    failure: DeliveryAttemptFailed,
  ): Promise<boolean> {
    const endpoint = await tx.webhookEndpoint.update({
      where: { id: endpointId },
      data: { consecutiveFailures: { increment: 1 } },
    });
    if (endpoint.enabled && endpoint.consecutiveFailures < this.settings.webhookDisableAfterFailures)
      return false;
    if (endpoint.enabled) {
      await tx.webhookEndpoint.update({
        where: { id: endpointId },
        data: {
          enabled: false,
          disabledAt: new Date(),
          disabledReason: `${endpoint.consecutiveFailures} attempts in a row failed; the last: ${failure.message}`,
        },
      });
      this.logger.warn({
        message: 'Webhook endpoint disabled',
        endpointId,
        failures: endpoint.consecutiveFailures,
      });
    }
    return true;
  }

  /**
   * Records how this attempt ended, in one statement: only this attempt's row
   * is written (a later attempt that already finished keeps its own), and a
   * webhook endpoint that took a message has no failures in a row any more.
   */
  private async finish(
    db: SqlExecutor,
    delivery: ClaimedDelivery,
    status: 'sent' | 'delivered' | 'unknown',
    outcome: string,
    detail: { error?: string; responseStatus?: number },
  ): Promise<void> {
    const endpointReached = delivery.channel === 'webhook' && status !== 'unknown';
    await db.$executeRawUnsafe(
      `WITH attempt AS (
         UPDATE delivery_attempt SET finished_at = now(), outcome = $3, error = $4, response_status = $5
          WHERE delivery_id = $1::uuid AND attempt = $2),
       endpoint AS (
         UPDATE webhook_endpoint SET consecutive_failures = 0 WHERE id = $6::uuid)
       UPDATE delivery SET status = $7::delivery_status, finished_at = now(), last_error = $4 WHERE id = $1::uuid`,
      delivery.id,
      delivery.attempts,
      outcome,
      detail.error ?? null,
      detail.responseStatus ?? null,
      endpointReached ? delivery.recipient : null,
      status,
    );
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}
