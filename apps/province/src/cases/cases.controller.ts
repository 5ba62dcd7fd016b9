import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  EventEnvelope,
  ReferralRouted,
  ReferralRoutedPayload,
  ReferralSubmitted,
  ReferralSubmittedPayload,
  ReferralWithdrawn,
  ServiceOfferRouted,
  ServiceOfferRoutedPayload,
  Streams,
  topicOf,
} from '@nrm/contracts';
import { EventConsumer, on, onEach } from '@nrm/messaging';
import { Can, RequestActor } from '@nrm/auth';
import { DEFAULT_LIST_LIMIT } from '@nrm/runtime';
import { DeadlineChanges } from '@nrm/scheduling';
import { CaseAccess } from '../access/case-access';
import { CaseDeadlines } from '../deadlines/case-deadlines.service';
import { EscalationsService } from '../escalations/escalations.service';
import { FollowUpService, FollowUpVisitDto } from '../follow-up/follow-up.service';
import { ServiceOffersService } from '../offers/service-offers.service';
import { ProvinceTx } from '../persistence/province-database.service';
import {
  AssignmentDto,
  CaseEventDto,
  CaseListQuery,
  HoldExtensionDto,
  OfferServiceDto,
  ResolutionDto,
  ServiceReferralEventDto,
} from './case-commands.dto';
import { CasesService } from './cases.service';

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  /** The cases routed together are opened together; a new offer goes to the next organisation. */
  private readonly routed = onEach([ReferralRouted, ServiceOfferRouted], async (tx: ProvinceTx, events) => {
    const changes = new DeadlineChanges();
    await this.cases.open(
      tx,
      changes,
      events.filter((event) => event.type === ReferralRouted.type) as EventEnvelope<ReferralRoutedPayload>[],
    );
    for (const event of events.filter((routed) => routed.type === ServiceOfferRouted.type)) {
      await this.offers.nextOrganisation(tx, changes, event as EventEnvelope<ServiceOfferRoutedPayload>);
    }
    return () => this.deadlines.apply(changes);
  });

  /** The facts of referrals submitted together are recorded together. */
  private readonly submitted = onEach([ReferralSubmitted], (tx: ProvinceTx, events) =>
    this.cases.recordFacts(tx, events as EventEnvelope<ReferralSubmittedPayload>[]),
  );

  constructor(
    private readonly events: EventConsumer<ProvinceTx>,
    private readonly cases: CasesService,
    private readonly offers: ServiceOffersService,
    private readonly followUp: FollowUpService,
    private readonly escalations: EscalationsService,
    private readonly deadlines: CaseDeadlines,
    private readonly access: CaseAccess,
  ) {}

  @EventPattern(topicOf(Streams.routing))
  async onRouting(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('province.open-case', context, this.routed);
  }

  @EventPattern(topicOf(Streams.referral))
  async onReferral(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    const changes = new DeadlineChanges();
    await this.events.consume('province.case-facts', context, [
      ...this.submitted,
      on(ReferralWithdrawn, (tx: ProvinceTx, event) => this.cases.withdrawnByReferrer(tx, changes, event)),
    ]);
    await this.deadlines.apply(changes);
  }

  @Can('cases.read')
  @Get()
  @ApiOperation({
    summary: 'Cases newest first, by province (owned or offered in transfer), state and date, paged',
  })
  list(@Query() query: CaseListQuery, @RequestActor() actor: Actor) {
    return this.cases.list(query, query.limit ?? DEFAULT_LIST_LIMIT, this.access.visibleWhere(actor));
  }

  @Can('cases.read')
  @Get(':id')
  @ApiOperation({ summary: 'A case: its state, legal track, service referrals and complete history' })
  async get(@Param('id', ParseUUIDPipe) id: string, @RequestActor() actor: Actor) {
    await this.access.visible(actor, id);
    return this.access.project(actor, await this.cases.view(id));
  }

  @Can('cases.manage')
  @Post(':id/events')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the case one step in its lifecycle; 409 with the reason when not allowed' })
  async apply(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CaseEventDto,
    @RequestActor() actor: Actor,
  ) {
    await this.access.mayManage(actor, id, body.event);
    return this.cases.apply(id, body, actor);
  }

  @Can('cases.manage')
  @Post(':id/service-referrals')
  @ApiOperation({
    summary: 'Offer a service to an organisation (needs consent, best interest or an override)',
  })
  async offer(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OfferServiceDto,
    @RequestActor() actor: Actor,
  ) {
    await this.access.mayManage(actor, id);
    await this.offers.offer(id, body, actor);
    return this.cases.view(id);
  }

  @Can('offers.answer')
  @Post(':id/service-referrals/:serviceReferralId/events')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a service referral one step; 409 with the reason when not allowed' })
  async applyToServiceReferral(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('serviceReferralId', ParseUUIDPipe) serviceReferralId: string,
    @Body() body: ServiceReferralEventDto,
    @RequestActor() actor: Actor,
  ) {
    await this.access.mayAnswer(actor, id, serviceReferralId);
    await this.offers.apply(id, serviceReferralId, body, actor);
    return this.access.project(actor, await this.cases.view(id));
  }

  @Can('cases.manage')
  @Put(':id/assignment')
  @ApiOperation({ summary: 'Name the case manager and the multidisciplinary team' })
  async assign(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AssignmentDto,
    @RequestActor() actor: Actor,
  ) {
    await this.access.mayManage(actor, id);
    return this.cases.assign(id, body, actor);
  }

  @Can('cases.manage')
  @Post(':id/hold-extensions')
  @ApiOperation({
    summary: 'Record a court order extending the s.29 hold; its deadline moves (7 days at most)',
  })
  async extendHold(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: HoldExtensionDto,
    @RequestActor() actor: Actor,
  ) {
    await this.access.mayManage(actor, id);
    return this.cases.extendHold(id, body, actor);
  }

  @Can('cases.manage')
  @Post(':id/follow-up-visits')
  @ApiOperation({ summary: 'Record the next planned follow-up visit and its outcome' })
  async recordVisit(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FollowUpVisitDto,
    @RequestActor() actor: Actor,
  ) {
    await this.access.mayManage(actor, id);
    await this.followUp.record(id, body, actor);
    return this.cases.view(id);
  }

  @Can('cases.manage')
  @Post(':id/escalations/:escalationId/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close an escalation with what was done' })
  async resolve(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('escalationId', ParseUUIDPipe) escalationId: string,
    @Body() body: ResolutionDto,
    @RequestActor() actor: Actor,
  ) {
    await this.access.mayManage(actor, id);
    return this.escalations.resolve(id, escalationId, body.resolution, actor);
  }
}
