import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PROVINCE_CODES, ReferralRouted, Streams, topicOf } from '@nrm/contracts';
import { EventConsumer, on } from '@nrm/messaging';
import { DEFAULT_LIST_LIMIT, ListQuery } from '@nrm/runtime';
import { ProvinceTx } from '../persistence/province-database.service';
import { CasesService } from './cases.service';

class CaseQuery extends ListQuery {
  @IsIn(PROVINCE_CODES)
  province!: string;
}

@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    private readonly events: EventConsumer<ProvinceTx>,
    private readonly cases: CasesService,
  ) {}

  @EventPattern(topicOf(Streams.routing))
  async onRouting(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('province.open-case', context, [
      on(ReferralRouted, (tx: ProvinceTx, event) => this.cases.open(tx, event)),
    ]);
  }

  @Get()
  @ApiOperation({ summary: "A province's cases, newest first" })
  list(@Query() query: CaseQuery) {
    return this.cases.list(query.province, query.limit ?? DEFAULT_LIST_LIMIT);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.cases.get(id);
  }
}
