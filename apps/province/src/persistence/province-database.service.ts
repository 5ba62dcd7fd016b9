import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { openDatabase } from '@nrm/persistence';
import { Prisma, PrismaClient } from './generated/client';

export type ProvinceTx = Prisma.TransactionClient;

/** The province service's own tables (PostgreSQL schema "province"), through Prisma. */
@Injectable()
export class ProvinceDatabase extends PrismaClient implements OnModuleDestroy {
  constructor(settings: PlatformSettings) {
    const database = openDatabase(settings);
    super(database.prismaOptions);
    database.directSql.takeOverRawSql(this);
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
