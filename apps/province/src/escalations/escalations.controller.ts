import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Can, RequestActor } from '@nrm/auth';
import { Actor, PROVINCE_CODES } from '@nrm/contracts';
import { EscalationsService } from './escalations.service';

class EscalationQuery {
  @ApiPropertyOptional({ enum: PROVINCE_CODES })
  @IsOptional()
  @IsIn(PROVINCE_CODES)
  province?: string;
}

@ApiTags('escalations')
@Controller('escalations')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Can('escalations.read')
  @Get()
  @ApiOperation({ summary: 'Open escalations, oldest first, across the country or in one province' })
  open(@Query() query: EscalationQuery, @RequestActor() actor: Actor) {
    // A coordinator sees their own province's escalations; supervisors see any.
    const province = actor.role === 'coordinator' ? actor.provinceCode : query.province;
    return this.escalations.open(province);
  }
}
