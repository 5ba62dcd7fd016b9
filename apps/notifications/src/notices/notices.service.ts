import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventEnvelope, NotificationRecorded } from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { afterQuietHours } from '../audiences/quiet-hours';
import { membersWhere } from '../audiences/audiences';
import { Subscriber, WebhookEndpoint } from '../persistence/generated/client';
import { DeliveriesToQueue, QueuedDelivery } from '../delivery/delivery-queues';
import { NotificationsTx } from '../persistence/notifications-database.service';
import { NoticeFacts, NoticeKind } from './notice-kinds';
import { jsonRecords } from '@nrm/persistence';

export interface NewNotice {
  eventId: string;
  caseId: string | null;
  provinceCode?: string;
  audience: string;
  kind: NoticeKind;
  /** Urgent notices ignore quiet hours. */
  urgent: boolean;
  facts: NoticeFacts;
}

/** Notices planned in one transaction, to be recorded together by `NoticesService.recordAll`. */
export class NoticesToRecord {
  readonly planned: PlannedNotice[] = [];

  add(notice: NewNotice, causedBy?: EventEnvelope): void {
    this.planned.push({ notice, causedBy });
  }
}

interface PlannedNotice {
  notice: NewNotice;
  /** The event the notice answers; a notice about a case is announced as `notification.recorded`. */
  causedBy?: EventEnvelope;
}

/**
 * Records what events mean for audiences, and a delivery for each channel each
 * member of an audience chose and each partner system that subscribed.
 * Recording happens once per (event, audience) and once per (notice,
 * recipient, channel): those unique keys are the dedupe keys. However many
 * notices, it takes four statements: the notices, their audiences' members,
 * their audiences' webhook endpoints, the deliveries (and the outbox's rows).
 */
@Injectable()
export class NoticesService {
  constructor(private readonly outbox: OutboxWriter) {}

  async record(
    tx: NotificationsTx,
    queue: DeliveriesToQueue,
    notice: NewNotice,
    causedBy?: EventEnvelope,
  ): Promise<void> {
    queue.deliveries.push(...(await this.recordAll(tx, [{ notice, causedBy }])));
  }

  /** Returns the deliveries to queue once the transaction commits. */
  async recordAll(tx: NotificationsTx, planned: readonly PlannedNotice[]): Promise<QueuedDelivery[]> {
    if (planned.length === 0) return [];
    const withIds = planned.map((plan) => ({ ...plan, id: randomUUID() }));
    const created = await tx.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO notice (id, event_id, case_id, province_code, audience, kind, urgent, facts)
       SELECT id, "eventId", "caseId", "provinceCode", audience, kind, urgent, facts
         FROM ${jsonRecords(
           '$1',
           `id uuid, "eventId" uuid, "caseId" uuid, "provinceCode" text,
           audience text, kind text, urgent boolean, facts jsonb`,
         )} AS notice
       ON CONFLICT DO NOTHING
       RETURNING id::text`,
      JSON.stringify(withIds.map(({ id, notice }) => ({ id, ...notice }))),
    );
    const createdIds = new Set(created.map((notice) => notice.id));
    const fresh = withIds.filter(({ id }) => createdIds.has(id));
    if (fresh.length === 0) return [];
    const audiences = [...new Set(fresh.map(({ notice }) => notice.audience))];
    const members = await this.membersOf(tx, audiences);
    const endpoints = await tx.$queryRawUnsafe<
      Pick<WebhookEndpoint, 'id' | 'audience' | 'kinds' | 'enabled'>[]
    >(
      'SELECT id::text, audience, kinds, enabled FROM webhook_endpoint WHERE audience = ANY($1::text[])',
      audiences,
    );
    const now = new Date();
    const deliveries: NewDelivery[] = [];
    for (const { id, notice } of fresh) {
      for (const member of members.filter((candidate) => isMemberOf(candidate, notice.audience))) {
        const notBefore = notice.urgent ? now : afterQuietHours(member, now);
        for (const channel of member.channels) {
          deliveries.push({
            id: randomUUID(),
            noticeId: id,
            channel,
            recipient: member.accountId,
            status: 'queued',
            notBefore,
          });
        }
      }
      for (const endpoint of endpoints) {
        if (endpoint.audience !== notice.audience) continue;
        if (endpoint.kinds.length > 0 && !endpoint.kinds.includes(notice.kind)) continue;
        deliveries.push({
          id: randomUUID(),
          noticeId: id,
          channel: 'webhook',
          recipient: endpoint.id,
          status: endpoint.enabled ? 'queued' : 'suspended',
          notBefore: now,
        });
      }
    }
    if (deliveries.length > 0) {
      await tx.$executeRawUnsafe(
        `INSERT INTO delivery (id, notice_id, channel, recipient, status, not_before)
         SELECT id, "noticeId", channel, recipient, status::delivery_status, "notBefore"
           FROM ${jsonRecords(
             '$1',
             `id uuid, "noticeId" uuid, channel text, recipient text,
             status text, "notBefore" timestamptz`,
           )} AS delivery`,
        JSON.stringify(deliveries),
      );
    }
    for (const { id, notice, causedBy } of fresh) {
      if (!notice.caseId) continue;
      await this.outbox.append(tx, NotificationRecorded, {
        caseId: notice.caseId,
        causedBy,
        payload: {
          notificationId: id,
          caseId: notice.caseId,
          channel: 'in-app',
          recipient: notice.audience,
          kind: notice.kind,
        },
      });
    }
    return deliveries.filter((delivery) => delivery.status === 'queued');
  }

  /** The active subscribers these audiences reach today, in one query. */
  private membersOf(tx: NotificationsTx, audiences: string[]): Promise<Subscriber[]> {
    const reached = audiences.flatMap((audience) => {
      const where = membersWhere(audience);
      return where ? [where] : [];
    });
    if (reached.length === 0) return Promise.resolve([]);
    return tx.subscriber.findMany({ where: { active: true, OR: reached }, orderBy: { accountId: 'asc' } });
  }
}

interface NewDelivery {
  id: string;
  noticeId: string;
  channel: string;
  recipient: string;
  status: 'queued' | 'suspended';
  notBefore: Date;
}

function isMemberOf(subscriber: Subscriber, audience: string): boolean {
  const where = membersWhere(audience);
  return (
    where !== undefined &&
    Object.entries(where).every(([field, value]) => subscriber[field as keyof Subscriber] === value)
  );
}
