import { Body, Controller, ForbiddenException, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@nrm/contracts';
import { Can, RequestActor } from '@nrm/auth';
import { SubscriberPreferences } from './subscriber.dto';
import { SubscribersService } from './subscribers.service';

/** People set how they hear: channels, language and quiet hours. Administrators may set them for anyone. */
@ApiTags('subscribers')
@Controller('subscribers')
export class SubscribersController {
  constructor(private readonly subscribers: SubscribersService) {}

  @Can('preferences.manage')
  @Get(':accountId')
  @ApiOperation({ summary: "An account's role, scope and notification preferences" })
  get(@RequestActor() actor: Actor, @Param('accountId') accountId: string) {
    this.mayManage(actor, accountId);
    return this.subscribers.find(accountId);
  }

  @Can('preferences.manage')
  @Put(':accountId/preferences')
  @ApiOperation({ summary: 'Sets channels, language and quiet hours' })
  setPreferences(
    @RequestActor() actor: Actor,
    @Param('accountId') accountId: string,
    @Body() preferences: SubscriberPreferences,
  ) {
    this.mayManage(actor, accountId);
    return this.subscribers.setPreferences(accountId, preferences);
  }

  private mayManage(actor: Actor, accountId: string): void {
    if (actor.id !== accountId && actor.role !== 'admin')
      throw new ForbiddenException('Only the account itself or an administrator may do this');
  }
}
