import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PROVINCE_CODES } from '@nrm/contracts';
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

  @Get()
  @ApiOperation({ summary: 'Open escalations, oldest first, across the country or in one province' })
  open(@Query() query: EscalationQuery) {
    return this.escalations.open(query.province);
  }
}
