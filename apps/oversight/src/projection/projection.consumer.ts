import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Streams, topicOf } from '@nrm/contracts';
import { EventConsumer, on } from '@nrm/messaging';
import { OversightTx } from '../persistence/oversight-database.service';
import { CaseProjector, PROJECTED_EVENTS } from './case-projector';

/** The inbox consumer name; the rebuild empties this inbox with the projection. */
export const PROJECTION_CONSUMER = 'oversight.project';

/** Keeps the read model current: each event of the intake, routing and province streams as it arrives. */
@Controller()
export class ProjectionConsumer {
  private readonly handlers = PROJECTED_EVENTS.map((contract) =>
    on(contract, (tx: OversightTx, event) => this.projector.apply(tx, event)),
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
