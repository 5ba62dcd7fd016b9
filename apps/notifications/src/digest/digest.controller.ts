import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can } from '@nrm/auth';
import { DailyDigest } from './daily-digest';

@ApiTags('digest')
@Controller('admin/digest')
export class DigestController {
  constructor(private readonly digest: DailyDigest) {}

  @Can('digest.manage')
  @Get()
  @ApiOperation({ summary: 'When the daily digest runs (cron pattern and time zone) and its next run' })
  schedule() {
    return this.digest.schedule();
  }

  @Can('digest.manage')
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Sends the supervisors a digest of the last 24 hours now' })
  async sendNow() {
    return { noticeId: await this.digest.send(new Date(), 'requested') };
  }
}
