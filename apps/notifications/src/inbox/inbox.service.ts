import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CaseEscalatedPayload,
  CaseOpenedPayload,
  CaseTransitionedPayload,
  EventEnvelope,
  NotificationRecorded,
  ServiceReferralTransitionedPayload,
} from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { NotificationsDatabase, NotificationsTx } from '../persistence/notifications-database.service';

/** Addresses are roles within a scope, so a notice reaches whoever holds the role today. */
export function provinceCoordinators(provinceCode: string): string {
  return `province:${provinceCode}:coordinators`;
}

/** Supervisors across the country see every escalation. */
export const SUPERVISORS = 'national:supervisors';

export function organisationMembers(organisationId: string): string {
  return `organisation:${organisationId}:members`;
}

@Injectable()
export class InboxService {
  constructor(
    private readonly db: NotificationsDatabase,
    private readonly outbox: OutboxWriter,
  ) {}

  /** A new case in a province: its coordinators must accept it. */
  caseOpened(tx: NotificationsTx, event: EventEnvelope<CaseOpenedPayload>): Promise<void> {
    return this.tell(tx, event, provinceCoordinators(event.payload.provinceCode), 'case.opened');
  }

  /** A transfer request: the province asked must accept or decline it. */
  async caseTransitioned(tx: NotificationsTx, event: EventEnvelope<CaseTransitionedPayload>): Promise<void> {
    if (event.payload.event === 'request_transfer' && event.payload.transferTo) {
      await this.tell(tx, event, provinceCoordinators(event.payload.transferTo), 'case.transfer-requested');
    }
  }

  /** An escalation reaches the province's coordinators and the supervisors. */
  async caseEscalated(tx: NotificationsTx, event: EventEnvelope<CaseEscalatedPayload>): Promise<void> {
    await this.tell(tx, event, provinceCoordinators(event.payload.provinceCode), 'case.escalated');
    await this.tell(tx, event, SUPERVISORS, 'case.escalated');
  }

  /** An organisation offered a service must answer the offer. */
  async serviceReferralTransitioned(
    tx: NotificationsTx,
    event: EventEnvelope<ServiceReferralTransitionedPayload>,
  ): Promise<void> {
    if (event.payload.to === 'offered') {
      await this.tell(tx, event, organisationMembers(event.payload.organisationId), 'service-offer.received');
    }
  }

  private async tell(tx: NotificationsTx, event: EventEnvelope<unknown>, recipient: string, kind: string) {
    const notification = {
      id: randomUUID(),
      eventId: event.eventId,
      caseId: event.caseId,
      recipient,
      channel: 'in-app',
      kind,
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
