import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsObject, IsString, Length } from 'class-validator';
import type { Response } from 'express';
import { Actor } from '@nrm/contracts';
import { AuditedRead } from '@nrm/audit';
import { Can, RequestActor } from '@nrm/auth';
import { DraftsService, DraftView } from './drafts.service';
import { ReferralDetails } from './referral-submission.service';
import { WithdrawalService } from './withdrawal.service';

/** A draft holds any part of a referral; size is bounded by the request body limit. */
export class DraftBody {
  @IsObject()
  referral!: object;
}

export class WithdrawReferralDto {
  @IsString()
  @Length(3, 2000)
  reason!: string;
}

@ApiTags('referrals')
@Controller('referrals')
export class DraftsController {
  constructor(
    private readonly drafts: DraftsService,
    private readonly withdrawals: WithdrawalService,
  ) {}

  @Can('referrals.submit')
  @Post('drafts')
  @ApiOperation({ summary: 'Save a referral being written; any part may be missing until it is submitted' })
  create(@Body() body: DraftBody, @RequestActor() actor: Actor): Promise<DraftView> {
    return this.drafts.create(body.referral, actor);
  }

  @Can('referrals.submit')
  @Get('drafts')
  @ApiOperation({ summary: "The caller's drafts, most recently changed first (without their contents)" })
  async list(@RequestActor() actor: Actor) {
    return { items: await this.drafts.list(actor) };
  }

  @Can('referrals.submit')
  @AuditedRead('draft with identity')
  @Get('drafts/:id')
  get(@Param('id', ParseUUIDPipe) id: string, @RequestActor() actor: Actor): Promise<DraftView> {
    return this.drafts.get(id, actor);
  }

  @Can('referrals.submit')
  @Put('drafts/:id')
  @ApiOperation({ summary: 'Replace what the draft holds' })
  replace(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DraftBody,
    @RequestActor() actor: Actor,
  ): Promise<DraftView> {
    return this.drafts.replace(id, body.referral, actor);
  }

  @Can('referrals.submit')
  @Delete('drafts/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  discard(@Param('id', ParseUUIDPipe) id: string, @RequestActor() actor: Actor): Promise<void> {
    return this.drafts.discard(id, actor);
  }

  @Can('referrals.submit')
  @Post('drafts/:id/submit')
  @ApiOperation({
    summary: 'Submit the draft with every rule of POST /referrals; retrying returns the same referral',
  })
  async submit(
    @Param('id', ParseUUIDPipe) id: string,
    @RequestActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReferralDetails> {
    const { referral, created } = await this.drafts.submit(id, actor);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    response.setHeader('Location', `/referrals/${referral.id}`);
    return referral;
  }

  @Can('referrals.withdraw')
  @Post(':id/withdraw')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Withdraw a referral while the case lifecycle allows it; 409 with the reason otherwise',
  })
  withdraw(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: WithdrawReferralDto,
    @RequestActor() actor: Actor,
  ): Promise<ReferralDetails> {
    return this.withdrawals.withdraw(id, body.reason, actor);
  }
}
