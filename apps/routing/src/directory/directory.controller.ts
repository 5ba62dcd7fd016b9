import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ParseProvinceCodePipe, ParseServicePipe } from './directory.pipes';
import { CapacityUpdate, OrganisationEntry, OrganisationQuery, ProvinceUpdate } from './directory.dto';
import { Can } from '@nrm/auth';
import { DirectoryService } from './directory.service';

@ApiTags('directory')
@Controller('directory')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Can('directory.read')
  @Get('provinces')
  @ApiOperation({ summary: 'All 77 provinces: names, region, risk group and operation centre' })
  provinces() {
    return this.directory.provinces();
  }

  @Can('directory.read')
  @Get('provinces/:code')
  province(@Param('code', ParseProvinceCodePipe) code: string) {
    return this.directory.province(code);
  }

  @Can('directory.manage')
  @Put('provinces/:code')
  @ApiOperation({ summary: "Set a province's risk group for a fiscal year, or its operation centre" })
  updateProvince(@Param('code', ParseProvinceCodePipe) code: string, @Body() update: ProvinceUpdate) {
    return this.directory.updateProvince(code, update);
  }

  @Can('directory.read')
  @Get('organisations')
  @ApiOperation({ summary: 'Organisations, by service given and province covered' })
  organisations(@Query() query: OrganisationQuery) {
    return this.directory.organisations(query);
  }

  @Can('directory.read')
  @Get('organisations/:id')
  @ApiOperation({ summary: 'An organisation, with each service’s capacity and places in use' })
  organisation(@Param('id') id: string) {
    return this.directory.organisation(id);
  }

  @Can('directory.manage')
  @Put('organisations/:id')
  @ApiOperation({ summary: 'Create or replace an organisation and the services it gives' })
  putOrganisation(@Param('id') id: string, @Body() entry: OrganisationEntry) {
    return this.directory.putOrganisation(id, entry);
  }

  @Can('directory.manage')
  @Put('organisations/:id/services/:service/capacity')
  @ApiOperation({ summary: 'Change the capacity of one service (e.g. shelter beds); null for unlimited' })
  setCapacity(
    @Param('id') id: string,
    @Param('service', ParseServicePipe) service: string,
    @Body() update: CapacityUpdate,
  ) {
    return this.directory.setCapacity(id, service, update.capacity);
  }
}
