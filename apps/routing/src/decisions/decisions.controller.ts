import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import { Can, RequestActor } from '@nrm/auth';
import {
  Actor,
  CaseTransitioned,
  EventEnvelope,
  ReferralSubmitted,
  ReferralSubmittedPayload,
  ServiceReferralTransitioned,
  Streams,
  topicOf,
} from '@nrm/contracts';
import { EventConsumer, on, onEach } from '@nrm/messaging';
import { RoutingTx } from '../persistence/routing-database.service';
import { DecisionsService } from './decisions.service';

class RoutingPreviewRequest extends OmitType(ReferralSubmittedPayload, ['referralId'] as const) {}

@ApiTags('routing')
@Controller('decisions')
export class DecisionsController {
  /** The referrals submitted together are decided in one transaction, sharing its reads and writes. */
  private readonly deciding = onEach([ReferralSubmitted], (tx: RoutingTx, events) =>
    this.decisions.route(tx, events as EventEnvelope<ReferralSubmittedPayload>[]),
  );

  constructor(
    private readonly events: EventConsumer<RoutingTx>,
    private readonly decisions: DecisionsService,
  ) {}

  @EventPattern(topicOf(Streams.referral))
  async onReferral(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('routing.decide', context, this.deciding);
  }

  @EventPattern(topicOf(Streams.provincialCase))
  async onCase(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('routing.follow-offers', context, [
      on(ServiceReferralTransitioned, (tx: RoutingTx, event) =>
        this.decisions.followServiceReferral(tx, event),
      ),
      on(CaseTransitioned, (tx: RoutingTx, event) => this.decisions.followCase(tx, event)),
    ]);
  }

  @Can('routing-decisions.preview')
  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'What the rules in force would decide for a referral (codes and flags only); nothing is stored',
  })
  preview(@Body() referral: RoutingPreviewRequest) {
    return this.decisions.preview(referral);
  }

  @Can('routing-decisions.read')
  @Get(':referralId')
  @ApiOperation({
    summary: 'The routing decision for a referral: province, urgency, offers, the rule version and why',
  })
  get(@Param('referralId', ParseUUIDPipe) referralId: string, @RequestActor() actor: Actor) {
    return this.decisions.get(referralId, actor);
  }
}
