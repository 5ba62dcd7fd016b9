import {
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsOptional, IsUrl, Matches } from 'class-validator';
import { randomBytes, randomUUID } from 'node:crypto';
import { Can } from '@nrm/auth';
import { PlatformSettings } from '@nrm/config';
import { FieldCipher, fieldCipherOf } from '@nrm/persistence';
import { DeliveryQueues } from '../delivery/delivery-queues';
import { NOTICE_KINDS } from '../notices/notice-kinds';
import { NotificationsDatabase } from '../persistence/notifications-database.service';

class NewWebhookEndpoint {
  @ApiProperty({ example: 'organisation:ngo-mae-sot-migrant-support:members' })
  @Matches(
    /^(organisation:[a-z0-9][a-z0-9-]{1,99}:members|province:TH-\d{2}:coordinators|national:supervisors)$/,
  )
  audience!: string;

  @ApiProperty({ example: 'https://cases.example.org/nrm-flow/webhook' })
  @IsUrl({ protocols: ['https', 'http'], require_tld: false, require_protocol: true })
  url!: string;

  @ApiPropertyOptional({ enum: NOTICE_KINDS, isArray: true, description: 'Omit for every kind' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(NOTICE_KINDS, { each: true })
  kinds?: string[];
}

const ENDPOINT_FIELDS = {
  id: true,
  audience: true,
  url: true,
  kinds: true,
  enabled: true,
  consecutiveFailures: true,
  disabledAt: true,
  disabledReason: true,
  createdAt: true,
} as const;

/** Partner systems that receive notices as signed JSON; administrators register them and enable them again. */
@ApiTags('webhooks')
@Controller('admin/webhook-endpoints')
export class WebhookEndpointsController {
  private readonly cipher: FieldCipher;

  constructor(
    platform: PlatformSettings,
    private readonly db: NotificationsDatabase,
    private readonly queues: DeliveryQueues,
  ) {
    this.cipher = fieldCipherOf(platform);
  }

  @Can('webhooks.manage')
  @Post()
  @ApiOperation({ summary: 'Registers an endpoint; the signing secret is shown once, in this answer' })
  async create(@Body() body: NewWebhookEndpoint) {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const endpoint = await this.db.webhookEndpoint.create({
      data: {
        id: randomUUID(),
        audience: body.audience,
        url: body.url,
        kinds: body.kinds ?? [],
        secret: this.cipher.encrypt(secret),
      },
      select: ENDPOINT_FIELDS,
    });
    return { ...endpoint, secret };
  }

  @Can('webhooks.manage')
  @Get()
  @ApiOperation({ summary: 'Every endpoint, with whether it is enabled and why not' })
  list() {
    return this.db.webhookEndpoint.findMany({ select: ENDPOINT_FIELDS, orderBy: { createdAt: 'asc' } });
  }

  @Can('webhooks.manage')
  @Get(':id')
  @ApiOperation({ summary: 'One endpoint' })
  async get(@Param('id', ParseUUIDPipe) id: string) {
    const endpoint = await this.db.webhookEndpoint.findUnique({ where: { id }, select: ENDPOINT_FIELDS });
    if (!endpoint) throw new NotFoundException(`No webhook endpoint ${id}`);
    return endpoint;
  }

  @Can('webhooks.manage')
  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enables a disabled endpoint and sends what waited for it' })
  async enable(@Param('id', ParseUUIDPipe) id: string) {
    const resumed = await this.db.$transaction(async (tx) => {
      const { count } = await tx.webhookEndpoint.updateMany({
        where: { id },
        data: { enabled: true, consecutiveFailures: 0, disabledAt: null, disabledReason: null },
      });
      if (count === 0) throw new NotFoundException(`No webhook endpoint ${id}`);
      const waiting = await tx.delivery.findMany({
        where: { channel: 'webhook', recipient: id, status: 'suspended' },
        select: { id: true },
      });
      const notBefore = new Date();
      await tx.delivery.updateMany({
        where: { id: { in: waiting.map((delivery) => delivery.id) } },
        data: { status: 'queued', notBefore, lastError: null },
      });
      return waiting.map((delivery) => ({ id: delivery.id, channel: 'webhook', notBefore }));
    });
    await this.queues.enqueue(resumed);
    return { ...(await this.get(id)), resumedDeliveries: resumed.length };
  }
}
