import { Module } from '@nestjs/common';
import { PlatformModule } from '@nrm/runtime';
import { DecisionsController } from './decisions/decisions.controller';
import { DecisionsService } from './decisions/decisions.service';
import { RoutingDatabase } from './persistence/routing-database.service';

@Module({
  imports: [PlatformModule.forService({ service: 'routing', database: RoutingDatabase })],
  controllers: [DecisionsController],
  providers: [DecisionsService],
})
export class RoutingModule {}
