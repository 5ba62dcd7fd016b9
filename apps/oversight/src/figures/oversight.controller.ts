import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can } from '@nrm/auth';
import { CaseListView, CasesQuery, CaseTimelineView, DashboardQuery, DashboardView } from './oversight.dto';
import { OversightFigures } from './oversight-figures.service';

@ApiTags('oversight')
@Controller('oversight')
export class OversightController {
  constructor(private readonly figures: OversightFigures) {}

  @Can('oversight.read')
  @Get('dashboard')
  @ApiOperation({
    summary:
      'The national picture: cases per state, province and risk group, deadline breaches, time in each stage (median, 90th percentile) and the daily trend',
  })
  @ApiOkResponse({ type: DashboardView })
  dashboard(@Query() query: DashboardQuery) {
    return this.figures.dashboard(query);
  }

  @Can('oversight.read')
  @Get('cases')
  @ApiOperation({
    summary:
      'Cases by province, state, risk group or breach, most recently changed first; no identifying fields',
  })
  @ApiOkResponse({ type: CaseListView })
  cases(@Query() query: CasesQuery) {
    return this.figures.cases(query);
  }

  @Can('oversight.read')
  @Get('cases/:caseId/timeline')
  @ApiOperation({
    summary: "A case's events in order: type, time, state, province and the actor's role only",
  })
  @ApiOkResponse({ type: CaseTimelineView })
  @ApiNotFoundResponse({ description: 'No such case' })
  timeline(@Param('caseId', ParseUUIDPipe) caseId: string) {
    return this.figures.timeline(caseId);
  }
}
