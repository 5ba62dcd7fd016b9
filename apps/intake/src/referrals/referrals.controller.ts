import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditedRead, AuditedWithChange, AuditRecord, ChangeAuditRecord } from '@nrm/audit';
import { Can, RequestActor } from '@nrm/auth';
import { Actor } from '@nrm/contracts';
import {
  DEFAULT_LIST_LIMIT,
  invalidFields,
  languageOf,
  ListQuery,
  LocalisedFieldProblem,
  localiseProblems,
  REFERRAL_FIELDS,
} from '@nrm/runtime';
import { DisclosureRequest, IdentityDisclosure } from './identity-disclosure';
import { CSV_HEADER, CsvFormatError, parseReferralCsv } from './referral-csv';
import { ReferralDetails, ReferralSubmissionService } from './referral-submission.service';
import { ReferralsService, ReferralSummary } from './referrals.service';
import { SubmitReferralDto } from './submit-referral.dto';

export const MAX_BATCH_ROWS = 1_000;

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Resubmitting with the same key returns the same referral (in a batch, row n is keyed `<key>#n`)',
};
const ACCEPT_LANGUAGE = {
  name: 'Accept-Language',
  required: false,
  description: 'Language of error messages: English by default, Thai for `th` or `th-TH`',
};

export interface BatchReport {
  created: number;
  rejected: number;
  rows: ({ row: number; referralId: string } | { row: number; errors: LocalisedFieldProblem[] })[];
}

function keyOf(idempotencyKey: string | undefined): string | undefined {
  return idempotencyKey?.trim().slice(0, 200) || undefined;
}

@ApiTags('referrals')
@ApiExtraModels(SubmitReferralDto)
@Controller('referrals')
export class ReferralsController {
  constructor(
    private readonly submissions: ReferralSubmissionService,
    private readonly disclosure: IdentityDisclosure,
    private readonly referrals: ReferralsService,
  ) {}

  @Can('referrals.submit')
  @Post()
  @AuditedWithChange()
  @ApiOperation({ summary: 'Submit a referral of a possible victim of trafficking' })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiHeader(ACCEPT_LANGUAGE)
  async submit(
    @Body() body: SubmitReferralDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @RequestActor() actor: Actor,
    @ChangeAuditRecord() audit: AuditRecord,
  ): Promise<ReferralDetails> {
    const { referral, created } = await this.submissions.submit(body, {
      idempotencyKey: keyOf(idempotencyKey),
      actor,
      audit,
    });
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    response.setHeader('Location', `/referrals/${referral.id}`);
    return referral;
  }

  @Can('referrals.submit')
  @Post('batch')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Submit many referrals at once (a mass handover): a JSON array or a CSV upload, up to 1,000 rows',
    description:
      'Each row is validated on its own with the rules of `POST /referrals`; valid rows are created (each with ' +
      'its own event and deadline), invalid rows change nothing. The answer reports every row. ' +
      `CSV (Content-Type: text/csv): a header row naming any of these columns, in any order: \`${CSV_HEADER}\`. ` +
      'Lists are separated by `|`, booleans are true/false, an empty cell leaves the field out. Rows are ' +
      'numbered from 1 (the first row after the header). Bodies of up to 10 MB are accepted here.',
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'array', maxItems: MAX_BATCH_ROWS, items: { $ref: getSchemaPath(SubmitReferralDto) } },
        { type: 'string', description: `CSV with the header: ${CSV_HEADER}` },
      ],
    },
  })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiHeader(ACCEPT_LANGUAGE)
  async submitBatch(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @RequestActor() actor: Actor,
  ): Promise<BatchReport> {
    const rows = this.rowsOf(body);
    if (rows.length === 0) throw invalidFields([{ field: 'rows', constraints: ['arrayMinSize'] }]);
    if (rows.length > MAX_BATCH_ROWS) throw invalidFields([{ field: 'rows', constraints: ['arrayMaxSize'] }]);
    const language = languageOf(acceptLanguage);
    const results = await this.submissions.submitBatch(rows, keyOf(idempotencyKey), actor);
    const report = results.map((result) =>
      'errors' in result
        ? { ...result, errors: localiseProblems(result.errors, language, REFERRAL_FIELDS) }
        : result,
    );
    const created = report.filter((result) => 'referralId' in result).length;
    return { created, rejected: report.length - created, rows: report };
  }

  @Can('referrals.read')
  @Get()
  @ApiOperation({ summary: 'The referrals the caller submitted, newest first, with their status' })
  async listMine(
    @Query() query: ListQuery,
    @RequestActor() actor: Actor,
  ): Promise<{ items: ReferralSummary[] }> {
    return { items: await this.referrals.submittedBy(actor.id, query.limit ?? DEFAULT_LIST_LIMIT) };
  }

  @Can('referrals.read')
  @Get(':id')
  @ApiOperation({
    summary: "A referral's status, the ordered history of its events and its possible duplicates",
  })
  async get(@Param('id', ParseUUIDPipe) id: string, @RequestActor() actor: Actor): Promise<ReferralDetails> {
    await this.submissions.mustBeSubmitter(id, actor);
    return this.submissions.view(id);
  }

  @Can('identity.read')
  @AuditedRead('identifying data')
  @Post(':id/identity')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "The person's identifying data: for the referring case worker, or a supervisor giving a reason",
  })
  identity(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DisclosureRequest,
    @RequestActor() actor: Actor,
  ) {
    return this.disclosure.disclose(id, actor, body.reason);
  }

  private rowsOf(body: unknown): unknown[] {
    if (Array.isArray(body)) return body;
    if (typeof body === 'string') {
      try {
        return parseReferralCsv(body);
      } catch (error) {
        if (error instanceof CsvFormatError) throw invalidFields(error.problems);
        throw error;
      }
    }
    throw invalidFields([{ field: 'rows', constraints: ['isArray'] }]);
  }
}
