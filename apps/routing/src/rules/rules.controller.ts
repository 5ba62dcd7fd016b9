import { Body, Controller, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@nrm/contracts';
import { Can, RequestActor } from '@nrm/auth';
import { RuleSetDraft } from './rule-set';
import { RulesService } from './rules.service';

@ApiTags('routing rules')
@Controller('admin/routing-rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Can('routing-rules.read')
  @Get()
  @ApiOperation({ summary: 'The rules in force, with their version' })
  current() {
    return this.rules.current();
  }

  @Can('routing-rules.read')
  @Get('versions')
  @ApiOperation({ summary: 'Every version: who published it, when and why' })
  versions() {
    return this.rules.versions();
  }

  @Can('routing-rules.read')
  @Get('versions/:version')
  @ApiOperation({ summary: 'One version of the rules, as decisions made under it used them' })
  version(@Param('version', ParseIntPipe) version: number) {
    return this.rules.version(version);
  }

  @Can('routing-rules.manage')
  @Post()
  @ApiOperation({ summary: 'Publish a new version; it applies to the next decision, without a restart' })
  publish(@Body() draft: RuleSetDraft, @RequestActor() actor: Actor) {
    return this.rules.publish(draft, actor);
  }
}
