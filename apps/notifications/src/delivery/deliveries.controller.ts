import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  ConflictException,
} from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Can } from '@nrm/auth';
import { DEFAULT_LIST_LIMIT, ListQuery } from '@nrm/runtime';
import { NotificationsDatabase } from '../persistence/notifications-database.service';
import { EXTERNAL_CHANNELS } from '../settings/notification-settings';
import { DeliveryQueues } from './delivery-queues';

const DELIVERY_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'unknown',
  'suspended',
] as const;

class DeliveryQuery extends ListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  eventId?: string;

  @ApiPropertyOptional({ enum: EXTERNAL_CHANNELS })
  @IsOptional()
  @IsIn(EXTERNAL_CHANNELS)
  channel?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];

  @ApiPropertyOptional({ description: 'An account id or a webhook endpoint id' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  recipient?: string;
}

const DELIVERY_FIELDS = {
  id: true,
  channel: true,
  recipient: true,
  status: true,
  attempts: true,
  lastError: true,
  notBefore: true,
  createdAt: true,
  finishedAt: true,
  notice: { select: { id: true, eventId: true, caseId: true, kind: true, audience: true } },
} as const;

/** Where every message stands: queued, sent, delivered or failed, with its attempts and last error. */
@ApiTags('deliveries')
@Controller('deliveries')
export class DeliveriesController {
  constructor(
    private readonly db: NotificationsDatabase,
    private readonly queues: DeliveryQueues,
  ) {}

  @Can('deliveries.read')
  @Get()
  @ApiOperation({ summary: 'Deliveries, newest first, by case, event, channel, status or recipient' })
  list(@Query() query: DeliveryQuery) {
    return this.db.delivery.findMany({
      where: {
        ...(query.channel ? { channel: query.channel } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.recipient ? { recipient: query.recipient } : {}),
        ...(query.caseId || query.eventId
          ? {
              notice: {
                ...(query.caseId ? { caseId: query.caseId } : {}),
                ...(query.eventId ? { eventId: query.eventId } : {}),
              },
            }
          : {}),
      },
      select: DELIVERY_FIELDS,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: query.limit ?? DEFAULT_LIST_LIMIT,
    });
  }

  @Can('deliveries.read')
  @Get(':id')
  @ApiOperation({ summary: 'One delivery with every attempt' })
  async get(@Param('id', ParseUUIDPipe) id: string) {
    const delivery = await this.db.delivery.findUnique({
      where: { id },
      select: { ...DELIVERY_FIELDS, attemptLog: { orderBy: { attempt: 'asc' } } },
    });
    if (!delivery) throw new NotFoundException(`No delivery ${id}`);
    const { attemptLog, ...rest } = delivery;
    return { ...rest, attemptLog: attemptLog.map(({ deliveryId: _deliveryId, ...attempt }) => attempt) };
  }

  @Can('deliveries.resend')
  @Post(':id/resend')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Sends a failed delivery, or one whose outcome is unknown, again',
    description: 'For an unknown outcome the operator accepts that the recipient may get the message twice.',
  })
  async resend(@Param('id', ParseUUIDPipe) id: string) {
    const { count } = await this.db.delivery.updateMany({
      where: { id, status: { in: ['failed', 'unknown'] } },
      data: { status: 'queued', notBefore: new Date(), finishedAt: null },
    });
    if (count === 0) {
      const exists = await this.db.delivery.findUnique({ where: { id }, select: { status: true } });
      if (!exists) throw new NotFoundException(`No delivery ${id}`);
      throw new ConflictException(
        `Delivery ${id} is ${exists.status}; only failed or unknown deliveries are sent again`,
      );
    }
    const delivery = await this.db.delivery.findUniqueOrThrow({
      where: { id },
      select: { id: true, channel: true, notBefore: true },
    });
    await this.queues.enqueue([delivery]);
    return { id, status: 'queued' };
  }
}
