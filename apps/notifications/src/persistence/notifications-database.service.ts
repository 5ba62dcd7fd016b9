import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { openDatabase } from '@nrm/persistence';
import { Prisma, PrismaClient } from './generated/client';

export type NotificationsTx = Prisma.TransactionClient;

/** The notifications service's own tables (PostgreSQL schema "notifications"), through Prisma. */
@Injectable()
export class NotificationsDatabase extends PrismaClient implements OnModuleDestroy {
  constructor(settings: PlatformSettings) {
    const database = openDatabase(settings);
    super(database.prismaOptions);
    database.directSql.takeOverRawSql(this);
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
