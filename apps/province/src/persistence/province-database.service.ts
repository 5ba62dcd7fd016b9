import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { createPrismaAdapter } from '@nrm/persistence';
import { Prisma, PrismaClient } from './generated/client';

export type ProvinceTx = Prisma.TransactionClient;

/** The province service's own tables (PostgreSQL schema "province"), through Prisma. */
@Injectable()
export class ProvinceDatabase extends PrismaClient implements OnModuleDestroy {
  constructor(settings: PlatformSettings) {
    super({
      adapter: createPrismaAdapter({
        url: settings.databaseUrl,
        schema: settings.databaseSchema,
        poolSize: settings.databasePoolSize,
      }),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
