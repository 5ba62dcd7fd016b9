import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { prismaClientOptions } from '@nrm/persistence';
import { Prisma, PrismaClient } from './generated/client';

export type ProvinceTx = Prisma.TransactionClient;

/** The province service's own tables (PostgreSQL schema "province"), through Prisma. */
@Injectable()
export class ProvinceDatabase extends PrismaClient implements OnModuleDestroy {
  constructor(settings: PlatformSettings) {
    super(prismaClientOptions(settings));
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
