import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Streams, topicOf } from '@nrm/contracts';
import { EventConsumer, onEach } from '@nrm/messaging';
import { OversightTx } from '../persistence/oversight-database.service';
import { CaseProjector, PROJECTED_EVENTS } from './case-projector';

/** The inbox consumer name; the rebuild empties this inbox with the projection. */
export const PROJECTION_CONSUMER = 'oversight.project';

/**
 * Keeps the read model current from the intake, routing and province streams:
 * the events that share a transaction are projected together.
 */
@Controller()
export class ProjectionConsumer {
  private readonly handlers = onEach(PROJECTED_EVENTS, (tx: OversightTx, events) =>
    this.projector.apply(tx, events),
  );

  constructor(
    private readonly events: EventConsumer<OversightTx>,
    private readonly projector: CaseProjector,
  ) {}

  @EventPattern(topicOf(Streams.referral))
  async onReferral(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(PROJECTION_CONSUMER, context, this.handlers);
  }

  @EventPattern(topicOf(Streams.routing))
  async onRouting(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(PROJECTION_CONSUMER, context, this.handlers);
  }

  @EventPattern(topicOf(Streams.provincialCase))
  async onCase(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(PROJECTION_CONSUMER, context, this.handlers);
  }
}
