import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { caseReference } from '@nrm/contracts';
import { Backends } from '../backends/backends';
import { ProvinceDirectory } from '../backends/province-directory';
import { pageLanguage } from '../i18n/page-language';
import { ConsoleSession, randomToken } from '../session/console-session';
import { CurrentSession } from '../session/current-session';
import { ForRoles } from '../session/page-access';
import {
  errorLinks,
  errorsByField,
  formLayout,
  FormValues,
  formValues,
  referralOf,
  valuesOf,
} from './referral-form';

interface ReferralSummary {
  id: string;
  status: string;
  foundInProvince: string;
  responsibleProvince: string | null;
  submittedAt: string;
}

interface InvalidFields {
  message: string;
  errors: { field: string; message: string }[];
}

const withReference = <T extends { id: string }>(item: T) => ({ ...item, reference: caseReference(item.id) });

/** The case worker's pages: the referral form (with drafts) and their referrals with status. */
@ForRoles('case-worker')
@Controller('referrals')
export class ReferralsController {
  constructor(
    private readonly backends: Backends,
    private readonly provinces: ProvinceDirectory,
  ) {}

  @Get()
  @Render('referrals/list')
  async list(@CurrentSession() session: ConsoleSession, @Query('notice') notice: unknown) {
    const [referrals, drafts] = await Promise.all([
      this.backends.get<{ items: ReferralSummary[] }>(session, 'intake', '/referrals?limit=200'),
      this.backends.get<{ items: { id: string; updatedAt: string }[] }>(
        session,
        'intake',
        '/referrals/drafts',
      ),
    ]);
    return {
      referrals: referrals.items.map(withReference),
      drafts: drafts.items,
      notice: notice === 'draftSaved' ? 'draftSaved' : null,
    };
  }

  @Get('new')
  async form(
    @CurrentSession() session: ConsoleSession,
    @Query('draft') draftId: unknown,
    @Res() response: Response,
  ) {
    let values: FormValues = {};
    let draft: string | null = null;
    if (typeof draftId === 'string' && /^[0-9a-f-]{36}$/.test(draftId)) {
      const saved = await this.backends.get<{ id: string; referral: unknown }>(
        session,
        'intake',
        `/referrals/drafts/${draftId}`,
      );
      values = valuesOf(saved.referral);
      draft = saved.id;
    }
    await this.showForm(session, response, 200, { values, draft, formToken: randomToken() });
  }

  @Post()
  async submit(
    @CurrentSession() session: ConsoleSession,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const language = pageLanguage(response.req);
    const values = formValues(body);
    const referral = referralOf(values);
    const formToken = typeof body.formToken === 'string' ? body.formToken.slice(0, 100) : randomToken();
    let draft = typeof body.draft === 'string' && /^[0-9a-f-]{36}$/.test(body.draft) ? body.draft : null;
    if (body.action === 'draft' || draft) {
      const saved = await this.backends.call<{ id: string }>(
        session,
        'intake',
        draft ? 'PUT' : 'POST',
        draft ? `/referrals/drafts/${draft}` : '/referrals/drafts',
        { body: { referral } },
      );
      draft = saved.body.id;
      if (body.action === 'draft') return response.redirect(303, '/referrals?notice=draftSaved');
    }
    const answer = draft
      ? await this.backends.call<{ id: string } | InvalidFields>(
          session,
          'intake',
          'POST',
          `/referrals/drafts/${draft}/submit`,
          { language },
        )
      : await this.backends.call<{ id: string } | InvalidFields>(session, 'intake', 'POST', '/referrals', {
          body: referral,
          language,
          headers: { 'idempotency-key': `console:${session.account.id}:${formToken}` },
        });
    if (answer.status === 400 && 'errors' in answer.body) {
      const errors = answer.body.errors;
      return await this.showForm(session, response, 400, {
        values,
        draft,
        formToken,
        summary: answer.body.message,
        errors: errorLinks(errors),
        fieldErrors: errorsByField(errors),
      });
    }
    if (answer.status >= 400 || !('id' in answer.body))
      return await this.showForm(session, response, answer.status, {
        values,
        draft,
        formToken,
        summary: String(answer.status),
      });
    response.redirect(303, `/referrals/${answer.body.id}?notice=submitted`);
  }

  @Get(':id')
  @Render('referrals/detail')
  async detail(
    @CurrentSession() session: ConsoleSession,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('notice') notice: unknown,
  ) {
    const referral = await this.backends.get<ReferralSummary & { history: object[] }>(
      session,
      'intake',
      `/referrals/${id}`,
    );
    return { referral: withReference(referral), submitted: notice === 'submitted' };
  }

  private async showForm(
    session: ConsoleSession,
    response: Response,
    status: number,
    context: object,
  ): Promise<void> {
    const language = pageLanguage(response.req);
    const names = await this.provinces.names(session, language);
    response.status(status).render('referrals/form', {
      sections: formLayout(language, names),
      fieldErrors: {},
      errors: [],
      ...context,
    });
  }
}
