import { Module } from '@nestjs/common';
import { PlatformModule } from '@nrm/runtime';
import { OversightController } from './figures/oversight.controller';
import { OversightFigures } from './figures/oversight-figures.service';
import { OversightDatabase } from './persistence/oversight-database.service';
import { CaseProjector } from './projection/case-projector';
import { ProjectionConsumer } from './projection/projection.consumer';

/** The supervisors' read model: a projection of the other services' events, and the figures drawn from it. */
@Module({
  imports: [PlatformModule.forService({ service: 'oversight', database: OversightDatabase })],
  controllers: [ProjectionConsumer, OversightController],
  providers: [CaseProjector, OversightFigures],
})
export class OversightModule {}
