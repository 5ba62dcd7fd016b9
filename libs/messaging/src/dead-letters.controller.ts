import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { Can } from '@nrm/auth';
import { DeadLettersService, DeadLetterView } from './dead-letters.service';

class DiscardDeadLetterDto {
  @IsString()
  @Length(3, 500)
  note!: string;
}

class DeadLetterQuery {
  @IsOptional()
  @IsIn(['pending', 'replayed', 'discarded'])
  status?: DeadLetterView['status'];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

@ApiTags('operations')
@Controller('admin/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Can('dead-letters.manage')
  @Get()
  @ApiOperation({ summary: 'Messages this service could not apply, newest first' })
  list(@Query() query: DeadLetterQuery): Promise<DeadLetterView[]> {
    return this.deadLetters.list(query.status, query.limit ?? 100);
  }

  @Can('dead-letters.manage')
  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the message again to its topic' })
  replay(@Param('id', ParseUUIDPipe) id: string): Promise<DeadLetterView> {
    return this.deadLetters.replay(id);
  }

  @Can('dead-letters.manage')
  @Post(':id/discard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the dead letter without replaying it, with a note' })
  discard(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DiscardDeadLetterDto,
  ): Promise<DeadLetterView> {
    return this.deadLetters.discard(id, body.note);
  }
}
