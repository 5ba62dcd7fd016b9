import { Module } from '@nestjs/common';
import { PlatformModule } from '@nrm/runtime';
import { DecisionsController } from './decisions/decisions.controller';
import { DecisionsService } from './decisions/decisions.service';
import { DirectoryController } from './directory/directory.controller';
import { DirectoryService } from './directory/directory.service';
import { RoutingDatabase } from './persistence/routing-database.service';
import { RulesController } from './rules/rules.controller';
import { RulesService } from './rules/rules.service';

@Module({
  imports: [PlatformModule.forService({ service: 'routing', database: RoutingDatabase })],
  controllers: [DecisionsController, DirectoryController, RulesController],
  providers: [DecisionsService, DirectoryService, RulesService],
})
export class RoutingModule {}
