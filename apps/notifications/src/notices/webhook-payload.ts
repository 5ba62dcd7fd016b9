import { caseReference } from '@nrm/contracts';
import { NoticeFacts } from './notice-kinds';
import { linkOf } from './templates';

/**
 * What a partner system receives: the notice's kind, the case's reference and
 * link, and the codes and times of its facts. Documented in docs/notifications.md.
 */
export function webhookPayload(
  deliveryId: string,
  notice: { eventId: string; kind: string; caseId: string | null; facts: unknown; createdAt: Date },
  consoleUrl: string,
): object {
  return {
    deliveryId,
    eventId: notice.eventId,
    kind: notice.kind,
    occurredAt: notice.createdAt.toISOString(),
    case: notice.caseId
      ? {
          id: notice.caseId,
          reference: caseReference(notice.caseId),
          link: linkOf(consoleUrl, notice.caseId),
        }
      : null,
    facts: notice.facts as NoticeFacts,
  };
}
