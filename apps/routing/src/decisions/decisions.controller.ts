import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReferralSubmitted, Streams, topicOf } from '@nrm/contracts';
import { EventConsumer, on } from '@nrm/messaging';
import { RoutingTx } from '../persistence/routing-database.service';
import { DecisionsService } from './decisions.service';

@ApiTags('routing')
@Controller('decisions')
export class DecisionsController {
  constructor(
    private readonly events: EventConsumer<RoutingTx>,
    private readonly decisions: DecisionsService,
  ) {}

  @EventPattern(topicOf(Streams.referral))
  async onReferral(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('routing.decide', context, [
      on(ReferralSubmitted, (tx: RoutingTx, event) => this.decisions.route(tx, event)),
    ]);
  }

  @Get(':referralId')
  @ApiOperation({ summary: 'The routing decision for a referral, with its explanation' })
  get(@Param('referralId', ParseUUIDPipe) referralId: string) {
    return this.decisions.get(referralId);
  }
}
