import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { prismaClientOptions } from '@nrm/persistence';
import { Prisma, PrismaClient } from './generated/client';

export type NotificationsTx = Prisma.TransactionClient;

/** The notifications service's own tables (PostgreSQL schema "notifications"), through Prisma. */
@Injectable()
export class NotificationsDatabase extends PrismaClient implements OnModuleDestroy {
  constructor(settings: PlatformSettings) {
    super(prismaClientOptions(settings));
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
