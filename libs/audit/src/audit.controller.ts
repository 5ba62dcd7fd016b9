import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { Can } from '@nrm/auth';
import { DEFAULT_LIST_LIMIT, ListQuery } from '@nrm/runtime';
import { AUDIT_ACTIONS, AuditTrail } from './audit-trail';

class AuditQuery extends ListQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  actorId?: string;

  @ApiPropertyOptional({ description: 'The start of a subject, such as `GET /cases`' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  subject?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/** For auditors: the service's audit trail and whether its hash chain is intact. */
@ApiTags('audit')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly trail: AuditTrail) {}

  @Can('audit.read')
  @Get()
  @ApiOperation({ summary: 'Audit entries, newest first, by actor, subject, action and time' })
  list(@Query() query: AuditQuery) {
    return this.trail.list({
      actorId: query.actorId,
      subject: query.subject,
      action: query.action,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit ?? DEFAULT_LIST_LIMIT,
    });
  }

  @Can('audit.read')
  @Get('verify')
  @ApiOperation({ summary: 'Recomputes the hash chain: intact, or the first entry that was altered' })
  verify() {
    return this.trail.verify();
  }
}
