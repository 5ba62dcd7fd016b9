import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseDeadlines } from './case-deadlines.service';
import { Can } from '@nrm/auth';
import { DeadlinePolicyUpdate, HolidayCalendar } from './deadline-policies';

@ApiTags('deadline policies')
@Controller('admin')
export class DeadlineAdminController {
  constructor(private readonly deadlines: CaseDeadlines) {}

  @Can('deadline-policies.read')
  @Get('deadline-policies')
  @ApiOperation({ summary: 'How long each kind of deadline runs, for standard and urgent cases' })
  policies() {
    return this.deadlines.policies();
  }

  @Can('deadline-policies.manage')
  @Put('deadline-policies/:kind')
  @ApiOperation({ summary: 'Change a deadline policy; it applies to deadlines set from now on' })
  updatePolicy(@Param('kind') kind: string, @Body() update: DeadlinePolicyUpdate) {
    return this.deadlines.updatePolicy(kind, update);
  }

  @Can('deadline-policies.read')
  @Get('holidays')
  @ApiOperation({ summary: 'The public holidays that working-day deadlines skip' })
  holidays() {
    return this.deadlines.holidays();
  }

  @Can('deadline-policies.manage')
  @Put('holidays')
  @ApiOperation({ summary: 'Replace the holiday calendar' })
  replaceHolidays(@Body() calendar: HolidayCalendar) {
    return this.deadlines.replaceHolidays(calendar);
  }
}
