import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CaseOpenedPayload, EventEnvelope, NotificationRecorded } from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { NotificationsDatabase, NotificationsTx } from '../persistence/notifications-database.service';

/** Addresses are roles within a scope, so a notice reaches whoever holds the role today. */
export function provinceCoordinators(provinceCode: string): string {
  return `province:${provinceCode}:coordinators`;
}

@Injectable()
export class InboxService {
  constructor(
    private readonly db: NotificationsDatabase,
    private readonly outbox: OutboxWriter,
  ) {}

  /** A new case in a province: its coordinators must accept it. */
  async caseOpened(tx: NotificationsTx, event: EventEnvelope<CaseOpenedPayload>): Promise<void> {
    const notification = {
      id: randomUUID(),
      eventId: event.eventId,
      caseId: event.caseId,
      recipient: provinceCoordinators(event.payload.provinceCode),
      channel: 'in-app',
      kind: 'case.opened',
    };
    await tx.notification.create({ data: notification });
    await this.outbox.append(tx, NotificationRecorded, {
      caseId: event.caseId,
      causedBy: event,
      payload: {
        notificationId: notification.id,
        caseId: notification.caseId,
        channel: notification.channel,
        recipient: notification.recipient,
        kind: notification.kind,
      },
    });
  }

  list(recipient: string, limit: number) {
    return this.db.notification.findMany({
      where: { recipient },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
  }
}
