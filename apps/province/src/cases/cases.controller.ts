import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  ReferralRouted,
  ReferralSubmitted,
  ReferralWithdrawn,
  Streams,
  topicOf,
} from '@nrm/contracts';
import { EventConsumer, on } from '@nrm/messaging';
import { ApiActorHeaders, DEFAULT_LIST_LIMIT, RequestActor } from '@nrm/runtime';
import { ProvinceTx } from '../persistence/province-database.service';
import { CaseEventDto, CaseListQuery, OfferServiceDto, ServiceReferralEventDto } from './case-commands.dto';
import { CasesService } from './cases.service';

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly events: EventConsumer<ProvinceTx>,
    private readonly cases: CasesService,
  ) {}

  @EventPattern(topicOf(Streams.routing))
  async onRouting(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('province.open-case', context, [
      on(ReferralRouted, (tx: ProvinceTx, event) => this.cases.open(tx, event)),
    ]);
  }

  @EventPattern(topicOf(Streams.referral))
  async onReferral(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('province.case-facts', context, [
      on(ReferralSubmitted, (tx: ProvinceTx, event) => this.cases.recordFacts(tx, event)),
      on(ReferralWithdrawn, (tx: ProvinceTx, event) => this.cases.withdrawnByReferrer(tx, event)),
    ]);
  }

  @Get()
  @ApiOperation({
    summary: 'Cases newest first, by province (owned or offered in transfer), state and date, paged',
  })
  list(@Query() query: CaseListQuery) {
    return this.cases.list(query, query.limit ?? DEFAULT_LIST_LIMIT);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A case: its state, legal track, service referrals and complete history' })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.cases.view(id);
  }

  @Post(':id/events')
  @HttpCode(200)
  @ApiActorHeaders()
  @ApiOperation({ summary: 'Move the case one step in its lifecycle; 409 with the reason when not allowed' })
  apply(@Param('id', ParseUUIDPipe) id: string, @Body() body: CaseEventDto, @RequestActor() actor: Actor) {
    return this.cases.apply(id, body, actor);
  }

  @Post(':id/service-referrals')
  @ApiActorHeaders()
  @ApiOperation({
    summary: 'Offer a service to an organisation (needs consent, best interest or an override)',
  })
  offer(@Param('id', ParseUUIDPipe) id: string, @Body() body: OfferServiceDto, @RequestActor() actor: Actor) {
    return this.cases.offer(id, body, actor);
  }

  @Post(':id/service-referrals/:serviceReferralId/events')
  @HttpCode(200)
  @ApiActorHeaders()
  @ApiOperation({ summary: 'Move a service referral one step; 409 with the reason when not allowed' })
  applyToServiceReferral(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('serviceReferralId', ParseUUIDPipe) serviceReferralId: string,
    @Body() body: ServiceReferralEventDto,
    @RequestActor() actor: Actor,
  ) {
    return this.cases.applyToServiceReferral(id, serviceReferralId, body, actor);
  }
}
