import { Injectable } from '@nestjs/common';
import { caseReference } from '@nrm/contracts';
import { audiencesOf } from '../audiences/audiences';
import type { Language } from '../audiences/subscriber.dto';
import { NoticeFacts } from '../notices/notice-kinds';
import { linkOf, render } from '../notices/templates';
import { NotificationsDatabase } from '../persistence/notifications-database.service';
import { NotificationSettings } from '../settings/notification-settings';

export interface InboxReader {
  accountId: string;
  role: string;
  provinceCode: string | null;
  organisationId: string | null;
  language: Language;
}

export interface InboxEntry {
  id: string;
  kind: string;
  caseId: string | null;
  caseReference: string | null;
  link: string;
  title: string;
  urgent: boolean;
  createdAt: Date;
  read: boolean;
}

/** Everyone's in-app inbox: the notices of every audience they belong to, with their own read marks. */
@Injectable()
export class InboxService {
  constructor(
    private readonly db: NotificationsDatabase,
    private readonly settings: NotificationSettings,
  ) {}

  async list(reader: InboxReader, options: { limit: number; unreadOnly: boolean }): Promise<InboxEntry[]> {
    const notices = await this.db.notice.findMany({
      where: {
        audience: { in: audiencesOf(reader) },
        ...(options.unreadOnly ? { reads: { none: { accountId: reader.accountId } } } : {}),
      },
      include: { reads: { where: { accountId: reader.accountId } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: options.limit,
    });
    return notices.map((notice) => {
      const content = { kind: notice.kind, caseId: notice.caseId, facts: notice.facts as NoticeFacts };
      return {
        id: notice.id,
        kind: notice.kind,
        caseId: notice.caseId,
        caseReference: notice.caseId ? caseReference(notice.caseId) : null,
        link: linkOf(this.settings.consoleUrl, notice.caseId),
        title: render(content, reader.language, this.settings.consoleUrl).subject.replace(
          /^\[nrm-flow\] /,
          '',
        ),
        urgent: notice.urgent,
        createdAt: notice.createdAt,
        read: notice.reads.length > 0,
      };
    });
  }

  unreadCount(reader: InboxReader): Promise<number> {
    return this.db.notice.count({
      where: { audience: { in: audiencesOf(reader) }, reads: { none: { accountId: reader.accountId } } },
    });
  }

  /** Marks notices read for this reader; only notices in the reader's own inbox are touched. Returns how many. */
  async markRead(reader: InboxReader, noticeIds: string[] | 'all'): Promise<number> {
    const unread = await this.db.notice.findMany({
      where: {
        audience: { in: audiencesOf(reader) },
        reads: { none: { accountId: reader.accountId } },
        ...(noticeIds === 'all' ? {} : { id: { in: noticeIds } }),
      },
      select: { id: true },
    });
    const { count } = await this.db.noticeRead.createMany({
      data: unread.map((notice) => ({ noticeId: notice.id, accountId: reader.accountId })),
      skipDuplicates: true,
    });
    return count;
  }
}
