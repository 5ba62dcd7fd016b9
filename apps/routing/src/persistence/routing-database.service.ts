import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { openDatabase } from '@nrm/persistence';
import { Prisma, PrismaClient } from './generated/client';

export type RoutingTx = Prisma.TransactionClient;

/** The routing service's own tables (PostgreSQL schema "routing"), through Prisma. */
@Injectable()
export class RoutingDatabase extends PrismaClient implements OnModuleDestroy {
  constructor(settings: PlatformSettings) {
    const database = openDatabase(settings);
    super(database.prismaOptions);
    database.directSql.takeOverRawSql(this);
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
