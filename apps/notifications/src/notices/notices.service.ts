import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventEnvelope, NotificationRecorded } from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { jsonColumn } from '@nrm/persistence';
import { afterQuietHours } from '../audiences/quiet-hours';
import { SubscribersService } from '../audiences/subscribers.service';
import { DeliveriesToQueue } from '../delivery/delivery-queues';
import { NotificationsTx } from '../persistence/notifications-database.service';
import { NoticeFacts, NoticeKind } from './notice-kinds';

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

/**
 * Records what one event means for one audience, and a delivery for each
 * channel each member of the audience chose and each partner system that
 * subscribed. Recording happens once per (event, audience) and once per
 * (notice, recipient, channel): those unique keys are the dedupe keys.
 */
@Injectable()
export class NoticesService {
  constructor(
    private readonly subscribers: SubscribersService,
    private readonly outbox: OutboxWriter,
  ) {}

  async record(
    tx: NotificationsTx,
    queue: DeliveriesToQueue,
    notice: NewNotice,
    causedBy?: EventEnvelope,
  ): Promise<void> {
    const id = randomUUID();
    const { count } = await tx.notice.createMany({
      data: [{ id, ...notice, provinceCode: notice.provinceCode ?? null, facts: jsonColumn(notice.facts) }],
      skipDuplicates: true,
    });
    if (count === 0) return;
    const now = new Date();
    const deliveries: {
      id: string;
      noticeId: string;
      channel: string;
      recipient: string;
      status: 'queued' | 'suspended';
      notBefore: Date;
    }[] = [];
    for (const member of await this.subscribers.members(tx, notice.audience)) {
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
    const endpoints = await tx.webhookEndpoint.findMany({
      where: {
        audience: notice.audience,
        OR: [{ kinds: { isEmpty: true } }, { kinds: { has: notice.kind } }],
      },
    });
    for (const endpoint of endpoints) {
      deliveries.push({
        id: randomUUID(),
        noticeId: id,
        channel: 'webhook',
        recipient: endpoint.id,
        status: endpoint.enabled ? 'queued' : 'suspended',
        notBefore: now,
      });
    }
    await tx.delivery.createMany({ data: deliveries });
    queue.deliveries.push(...deliveries.filter((delivery) => delivery.status === 'queued'));
    if (notice.caseId) {
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
  }
}
