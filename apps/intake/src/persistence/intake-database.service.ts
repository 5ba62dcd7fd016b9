import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { createPrismaAdapter } from '@nrm/persistence';
import { Prisma, PrismaClient } from './generated/client';

export type IntakeTx = Prisma.TransactionClient;

/** The intake service's own tables (PostgreSQL schema "intake"), through Prisma. */
@Injectable()
export class IntakeDatabase extends PrismaClient implements OnModuleDestroy {
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
