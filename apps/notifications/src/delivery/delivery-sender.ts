import { Injectable, Logger } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { Metrics } from '@nrm/observability';
import { FieldCipher, fieldCipherOf } from '@nrm/persistence';
import { Channels } from '../channels/channels';
import { DeliveryAttemptFailed, OutboundMessage } from '../channels/channel';
import type { Language } from '../audiences/subscriber.dto';
import { webhookPayload } from '../notices/webhook-payload';
import { render } from '../notices/templates';
import { NoticeFacts } from '../notices/notice-kinds';
import { NotificationsDatabase, NotificationsTx } from '../persistence/notifications-database.service';
import { Delivery, Notice } from '../persistence/generated/client';
import { ExternalChannel, NotificationSettings } from '../settings/notification-settings';

/** How a delivery ended without being sent, when the claim itself ended it. */
interface Ended {
  channel: string;
  outcome: 'unknown' | 'failed' | 'suspended';
}

type Claim = { delivery: Delivery; message: OutboundMessage } | { done: string; ended?: Ended };

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
      await this.db.$transaction((tx) =>
        this.succeeded(tx, delivery, outcome.status, outcome.responseStatus),
      );
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
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM delivery WHERE id = ${deliveryId}::uuid FOR UPDATE`;
    if (!locked) return { done: 'not committed or gone' };
    const delivery = await tx.delivery.findUniqueOrThrow({
      where: { id: deliveryId },
      include: { notice: true },
    });
    if (FINISHED.has(delivery.status)) return { done: delivery.status };
    if (delivery.status === 'sending') {
      await this.finish(tx, delivery, 'unknown', 'interrupted', {
        error: 'The sender stopped while sending; not sent again so that nobody is told twice',
      });
      return { done: 'interrupted before', ended: { channel: delivery.channel, outcome: 'unknown' } };
    }
    const destination = await this.destination(tx, delivery);
    if ('unavailable' in destination) {
      const status = destination.unavailable === 'endpoint disabled' ? 'suspended' : 'failed';
      await tx.delivery.update({
        where: { id: delivery.id },
        data: {
          status,
          lastError: destination.unavailable,
          ...(status === 'failed' ? { finishedAt: new Date() } : {}),
        },
      });
      return { done: destination.unavailable, ended: { channel: delivery.channel, outcome: status } };
    }
    const attempt = delivery.attempts + 1;
    await tx.delivery.update({ where: { id: delivery.id }, data: { status: 'sending', attempts: attempt } });
    await tx.deliveryAttempt.create({ data: { deliveryId: delivery.id, attempt } });
    const notice = {
      kind: delivery.notice.kind,
      caseId: delivery.notice.caseId,
      facts: delivery.notice.facts as NoticeFacts,
    };
    return {
      delivery: { ...delivery, attempts: attempt },
      message: {
        deliveryId: delivery.id,
        address: destination.address,
        secret: destination.secret,
        rendered: render(notice, destination.language, this.settings.consoleUrl),
        payload: webhookPayload(delivery.id, delivery.notice, this.settings.consoleUrl),
      },
    };
  }

  private async destination(
    tx: NotificationsTx,
    delivery: Delivery & { notice: Notice },
  ): Promise<{ address: string; secret?: string; language: Language } | { unavailable: string }> {
    if (delivery.channel === 'webhook') {
      const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: delivery.recipient } });
      if (!endpoint) return { unavailable: 'endpoint removed' };
      if (!endpoint.enabled) return { unavailable: 'endpoint disabled' };
      return { address: endpoint.url, secret: this.cipher.decrypt<string>(endpoint.secret), language: 'en' };
    }
    const subscriber = await tx.subscriber.findUnique({ where: { accountId: delivery.recipient } });
    if (!subscriber?.active) return { unavailable: 'recipient no longer active' };
    const address = { email: subscriber.email, sms: subscriber.phone, line: subscriber.lineUserId }[
      delivery.channel as 'email' | 'sms' | 'line'
    ];
    if (!address) return { unavailable: `recipient has no ${delivery.channel} address` };
    return { address, language: subscriber.language as Language };
  }

  private async succeeded(
    tx: NotificationsTx,
    delivery: Delivery,
    status: 'sent' | 'delivered',
    responseStatus: number | undefined,
  ): Promise<void> {
    await this.finish(tx, delivery, status, status, { responseStatus });
    if (delivery.channel === 'webhook') {
      await tx.webhookEndpoint.updateMany({
        where: { id: delivery.recipient },
        data: { consecutiveFailures: 0 },
      });
    }
  }

  /** Records a failed attempt; returns the delivery's status now (`queued` when another attempt follows). */
  private async failed(
    tx: NotificationsTx,
    delivery: Delivery,
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

  private async finish(
    tx: NotificationsTx,
    delivery: Delivery,
    status: 'sent' | 'delivered' | 'unknown',
    outcome: string,
    detail: { error?: string; responseStatus?: number },
  ): Promise<void> {
    const now = new Date();
    // Only this attempt's outcome is written: a later attempt that already finished keeps its own.
    await tx.deliveryAttempt.updateMany({
      where: { deliveryId: delivery.id, attempt: delivery.attempts },
      data: {
        finishedAt: now,
        outcome,
        error: detail.error ?? null,
        responseStatus: detail.responseStatus ?? null,
      },
    });
    await tx.delivery.update({
      where: { id: delivery.id },
      data: { status, finishedAt: now, lastError: detail.error ?? null },
    });
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}
