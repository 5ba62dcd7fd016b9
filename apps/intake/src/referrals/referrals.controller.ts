import { Body, Controller, Get, Headers, HttpStatus, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ReferralsService, ReferralView } from './referrals.service';
import { SubmitReferralDto } from './submit-referral.dto';

@ApiTags('referrals')
@Controller('referrals')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post()
  @ApiOperation({ summary: 'Submit a referral of a possible victim of trafficking' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Resubmitting with the same key returns the same referral',
  })
  async submit(
    @Body() body: SubmitReferralDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReferralView> {
    const key = idempotencyKey?.trim().slice(0, 200) || undefined;
    const { referral, created } = await this.referrals.submit(body, key);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    response.setHeader('Location', `/referrals/${referral.id}`);
    return referral;
  }

  @Get(':id')
  @ApiOperation({ summary: "A referral's status and the ordered history of its events" })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ReferralView> {
    return this.referrals.get(id);
  }
}
