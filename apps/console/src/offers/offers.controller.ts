import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SERVICE_REFERRAL_EVENTS, UNSUCCESSFUL_REASONS } from '@nrm/case-lifecycle';
import { caseReference } from '@nrm/contracts';
import { Backends, RefusalBody, refusalText } from '../backends/backends';
import { pageLanguage } from '../i18n/page-language';
import { ConsoleSession } from '../session/console-session';
import { CurrentSession } from '../session/current-session';
import { ForRoles } from '../session/page-access';
import { CaseView, readableLines, visibleCases } from '../cases/case-view';

/** What a member may do with an offer in each state. */
const NEXT_STEPS: Record<string, string[]> = {
  accepted: ['start'],
  in_progress: ['complete_successfully', 'complete_unsuccessfully'],
};

/** The organisation member's page: offers waiting with their deadline, and services under way. */
@ForRoles('organisation-member')
@Controller('offers')
export class OffersController {
  constructor(private readonly backends: Backends) {}

  @Get()
  async page(@CurrentSession() session: ConsoleSession, @Res() response: Response) {
    response.render('offers/list', await this.context(session));
  }

  @Post(':caseId/:serviceReferralId')
  async answer(
    @CurrentSession() session: ConsoleSession,
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Param('serviceReferralId', ParseUUIDPipe) serviceReferralId: string,
    @Body() body: { event?: unknown; reason?: unknown },
    @Res() response: Response,
  ) {
    const event = (SERVICE_REFERRAL_EVENTS as readonly unknown[]).includes(body.event)
      ? body.event
      : 'accept';
    const reason = typeof body.reason === 'string' && body.reason.trim() ? body.reason.trim() : undefined;
    const answer = await this.backends.call<RefusalBody>(
      session,
      'province',
      'POST',
      `/cases/${caseId}/service-referrals/${serviceReferralId}/events`,
      { body: { event, ...(reason ? { reason } : {}) }, language: pageLanguage(response.req) },
    );
    if (answer.status >= 400)
      return response
        .status(answer.status === 404 ? 404 : 409)
        .render('offers/list', { ...(await this.context(session)), refusal: refusalText(answer.body) });
    response.redirect(303, '/offers');
  }

  private async context(session: ConsoleSession) {
    const cases = await visibleCases(this.backends, session);
    const offers = cases.flatMap((found: CaseView) =>
      found.serviceReferrals.map((offer) => ({
        ...offer,
        caseId: found.id,
        reference: caseReference(found.id),
        provinceCode: found.provinceCode,
        urgency: found.urgency,
        dueAt: found.deadlines.find(
          (deadline) => deadline.subjectId === offer.id && deadline.status === 'pending',
        )?.dueAt,
        nextSteps: NEXT_STEPS[offer.state] ?? [],
        facts: found.facts ? readableLines(found.facts) : [],
      })),
    );
    return {
      waiting: offers
        .filter((offer) => offer.state === 'offered')
        .sort((a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9')),
      active: offers.filter((offer) => offer.state === 'accepted' || offer.state === 'in_progress'),
      unsuccessfulReasons: UNSUCCESSFUL_REASONS,
    };
  }
}
