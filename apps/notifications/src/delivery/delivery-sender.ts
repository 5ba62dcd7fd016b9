import { Injectable, Logger } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { Metrics } from '@nrm/observability';
import { FieldCipher, fieldCipherOf, GroupedCalls, jsonRecords, SqlExecutor } from '@nrm/persistence';
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

/** Up to 50 deliveries a group, one group at a time each for claims and for outcomes. */
const DELIVERY_GROUPS = { groupSize: 50, concurrent: 1 };

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
  /** Deliveries worked at the same time are claimed, and their outcomes recorded, together. */
  private readonly claims = new GroupedCalls<string, Claim | Error>(
    (deliveryIds) => this.claimTogether(deliveryIds),
    DELIVERY_GROUPS,
  );
  private readonly finishes = new GroupedCalls<Finish, void>(async (finishes) => {
    await this.finish(this.db, finishes);
    return finishes.map(() => undefined);
  }, DELIVERY_GROUPS);

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
    const claim = await this.claims
      .run(deliveryId)
      .catch(() => this.claimTogether([deliveryId]).then(([alone]) => alone));
    if (claim instanceof Error) throw claim;
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

  /** Claims a group in one transaction; when it fails, each delivery is claimed alone. */
  private claimTogether(deliveryIds: string[]): Promise<(Claim | Error)[]> {
    return this.db.$transaction((tx) => this.claim(tx, deliveryIds));
  }

  /**
   * Locks the deliveries (in id order, so that two claims never wait for each
   * other) and reads each with its notice and its recipient's address in one
   * query, then marks those to send `sending` and records their attempts in one
   * statement. A delivery whose message cannot be made (its endpoint's secret
   * does not decrypt, say) gets its own error and leaves the others be.
   */
  private async claim(tx: NotificationsTx, deliveryIds: string[]): Promise<(Claim | Error)[]> {
    const rows = await tx.$queryRawUnsafe<ClaimRow[]>(
      `SELECT d.id::text, d.channel, d.recipient, d.status::text AS status, d.attempts,
              n.event_id AS "eventId", n.kind, n.case_id AS "caseId", n.facts, n.created_at AS "createdAt",
              s.active AS "subscriberActive", s.email, s.phone, s.line_user_id AS "lineUserId", s.language,
              w.url AS "endpointUrl", w.secret AS "endpointSecret", w.enabled AS "endpointEnabled"
         FROM delivery d
         JOIN notice n ON n.id = d.notice_id
         LEFT JOIN subscriber s ON d.channel <> 'webhook' AND s.account_id = d.recipient
         LEFT JOIN webhook_endpoint w ON d.channel = 'webhook' AND w.id::text = d.recipient
        WHERE d.id = ANY($1::uuid[])
        ORDER BY d.id
          FOR UPDATE OF d`,
      deliveryIds,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const claims: (Claim | Error)[] = [];
    for (const deliveryId of deliveryIds) {
      const row = byId.get(deliveryId.toLowerCase());
      claims.push(row ? await this.claimOne(tx, row) : { done: 'not committed or gone' });
    }
    const toSend = claims.filter(
      (claim): claim is Extract<Claim, { delivery: unknown }> => 'delivery' in claim,
    );
    if (toSend.length > 0) {
      await tx.$executeRawUnsafe(
        `WITH claim AS (SELECT * FROM unnest($1::uuid[], $2::int[]) AS claim(id, attempt)),
         claimed AS (UPDATE delivery SET status = 'sending', attempts = claim.attempt FROM claim WHERE delivery.id = claim.id)
         INSERT INTO delivery_attempt (delivery_id, attempt, started_at) SELECT id, attempt, now() FROM claim`,
        toSend.map((claim) => claim.delivery.id),
        toSend.map((claim) => claim.delivery.attempts),
      );
    }
    return claims;
  }

  private async claimOne(tx: NotificationsTx, row: ClaimRow): Promise<Claim | Error> {
    const delivery: ClaimedDelivery = row;
    if (FINISHED.has(row.status)) return { done: row.status };
    if (row.status === 'sending') {
      await this.finish(tx, [
        {
          delivery,
          status: 'unknown',
          outcome: 'interrupted',
          error: 'The sender stopped while sending; not sent again so that nobody is told twice',
        },
      ]);
      return { done: 'interrupted before', ended: { channel: row.channel, outcome: 'unknown' } };
    }
    let message: OutboundMessage | { unavailable: string };
    try {
      message = this.messageOf(row);
    } catch (error) {
      return asError(error);
    }
    if ('unavailable' in message) {
      const status = message.unavailable === 'endpoint disabled' ? 'suspended' : 'failed';
      await tx.delivery.update({
        where: { id: row.id },
        data: {
          status,
          lastError: message.unavailable,
          ...(status === 'failed' ? { finishedAt: new Date() } : {}),
        },
      });
      return { done: message.unavailable, ended: { channel: row.channel, outcome: status } };
    }
    return { delivery: { ...delivery, attempts: row.attempts + 1 }, message };
  }

  private messageOf(row: ClaimRow): OutboundMessage | { unavailable: string } {
    const destination = this.destination(row);
    if ('unavailable' in destination) return destination;
    const notice = { kind: row.kind, caseId: row.caseId, facts: row.facts as NoticeFacts };
    return {
      deliveryId: row.id,
      address: destination.address,
      secret: destination.secret,
      rendered: render(notice, destination.language, this.settings.consoleUrl),
      payload: webhookPayload(row.id, row, this.settings.consoleUrl),
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
    const finish: Finish = { delivery, status, outcome: status, responseStatus };
    await this.finishes.run(finish).catch(() => this.finish(this.db, [finish]));
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
   * Records how these attempts ended, in one statement: only each attempt's own
   * row is written (a later attempt that already finished keeps its own), and
   * a webhook endpoint that took a message has no failures in a row any more.
   */
  private async finish(db: SqlExecutor, finishes: Finish[]): Promise<void> {
    await db.$executeRawUnsafe(
      `WITH finish AS (
         SELECT * FROM ${jsonRecords(
           '$1',
           `id uuid, attempt int, status delivery_status,
           outcome text, error text, "responseStatus" int, "reachedEndpoint" uuid`,
         )} AS finish),
       attempt AS (
         UPDATE delivery_attempt SET finished_at = now(), outcome = finish.outcome, error = finish.error,
                response_status = finish."responseStatus"
           FROM finish WHERE delivery_attempt.delivery_id = finish.id AND delivery_attempt.attempt = finish.attempt),
       endpoint AS (
         UPDATE webhook_endpoint SET consecutive_failures = 0
          WHERE id IN (SELECT "reachedEndpoint" FROM finish))
       UPDATE delivery SET status = finish.status, finished_at = now(), last_error = finish.error
         FROM finish WHERE delivery.id = finish.id`,
      JSON.stringify(
        finishes.map(({ delivery, status, outcome, error, responseStatus }) => ({
          id: delivery.id,
          attempt: delivery.attempts,
          status,
          outcome,
          error: error ?? null,
          responseStatus: responseStatus ?? null,
          reachedEndpoint: delivery.channel === 'webhook' && status !== 'unknown' ? delivery.recipient : null,
        })),
      ),
    );
  }
}

/** How an attempt ended, as `finish` records it. */
interface Finish {
  delivery: ClaimedDelivery;
  status: 'sent' | 'delivered' | 'unknown';
  outcome: string;
  error?: string;
  responseStatus?: number;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function describe(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}
