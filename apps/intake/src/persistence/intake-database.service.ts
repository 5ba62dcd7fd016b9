import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { prismaClientOptions } from '@nrm/persistence';
import { Prisma, PrismaClient } from './generated/client';

export type IntakeTx = Prisma.TransactionClient;

/** The intake service's own tables (PostgreSQL schema "intake"), through Prisma. */
@Injectable()
export class IntakeDatabase extends PrismaClient implements OnModuleDestroy {
  constructor(settings: PlatformSettings) {
    super(prismaClientOptions(settings));
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
