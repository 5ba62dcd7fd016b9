import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { prismaClientOptions } from '@nrm/persistence';
import { Prisma, PrismaClient } from './generated/client';

export type RoutingTx = Prisma.TransactionClient;

/** The routing service's own tables (PostgreSQL schema "routing"), through Prisma. */
@Injectable()
export class RoutingDatabase extends PrismaClient implements OnModuleDestroy {
  constructor(settings: PlatformSettings) {
    super(prismaClientOptions(settings));
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
