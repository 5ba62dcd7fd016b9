import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CASE_TRANSITIONS, CaseEvent } from '@nrm/case-lifecycle';
import { ActorRole, caseReference, FOLLOW_UP_OUTCOMES, PERSON_ROLES, PROVINCE_CODES } from '@nrm/contracts';
import { Backends, RefusalBody, refusalText } from '../backends/backends';
import { Language } from '@nrm/runtime';
import { pageLanguage } from '../i18n/page-language';
import { formText } from '../pages/form-text';
import { ConsoleSession } from '../session/console-session';
import { CurrentSession } from '../session/current-session';
import { ForRoles } from '../session/page-access';
import { CaseListItem, CaseView, CASE_PAGE_SIZE, Step } from './case-view';
import { explainRouting, RoutingDecision } from './routing-explanation';

const QUEUE_STATES = ['awaiting_acceptance', 'transfer_requested'];
/** The s.29 hold's deadline kind, as the province names it. */
const IDENTIFICATION_HOLD = 's29-hold';

/** A form's number as a whole number, or its text as typed, for the service to refuse with its own words. */
function wholeNumber(value: unknown): number | string {
  const text = formText(value);
  return /^\d{1,6}$/.test(text) ? Number(text) : text;
}

/** Where roles other than the coordinator see a case. */
const CASE_PAGES: Partial<Record<ActorRole, (caseId: string) => string>> = {
  'case-worker': (caseId) => `/referrals/${caseId}`,
  'organisation-member': () => '/offers',
  supervisor: (caseId) => `/oversight/cases/${caseId}`,
};

/** The steps the lifecycle allows from where the case stands, on either track. */
function nextSteps(found: CaseView, provinceCode: string | undefined): CaseEvent[] {
  const asked = found.state === 'transfer_requested' && found.transferTo === provinceCode;
  return (Object.entries(CASE_TRANSITIONS) as [CaseEvent, (typeof CASE_TRANSITIONS)[CaseEvent]][])
    .filter(([event, rule]) => {
      const from: readonly string[] = rule.from;
      if (event === 'accept_transfer' || event === 'decline_transfer') return asked;
      return from.includes(rule.track === 'legal' ? found.legalState : found.state);
    })
    .map(([event]) => event)
    .filter((event) => !asked || event === 'accept_transfer' || event === 'decline_transfer');
}

/** Everything that happened to the case and its service referrals, in order. */
function timeline(found: CaseView): (Step & { service?: string })[] {
  return [
    ...found.history,
    ...found.serviceReferrals.flatMap((offer) =>
      offer.history.map((step) => ({ ...step, service: `${offer.service} · ${offer.organisationId}` })),
    ),
  ].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

/** The provincial coordinator's pages: the queue, and each case with its steps, assignment, routing and timeline. */
@ForRoles('coordinator')
@Controller('cases')
export class CasesController {
  constructor(private readonly backends: Backends) {}

  @Get()
  async queue(@CurrentSession() session: ConsoleSession, @Res() response: Response) {
    const { items } = await this.backends.get<{ items: CaseListItem[] }>(
      session,
      'province',
      `/cases?limit=${CASE_PAGE_SIZE}`,
    );
    const waiting = await Promise.all(
      items
        .filter((item) => QUEUE_STATES.includes(item.state))
        .map((item) => this.backends.get<CaseView>(session, 'province', `/cases/${item.id}`)),
    );
    response.render('cases/queue', {
      queue: waiting
        .map((found) => ({
          ...found,
          reference: caseReference(found.id),
          dueAt: found.deadlines.find((deadline) => deadline.status === 'pending')?.dueAt,
        }))
        .sort((a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9')),
      cases: items.map((item) => ({ ...item, reference: caseReference(item.id) })),
    });
  }

  /** Notices link every role here: each is sent to its own view of the case. */
  @ForRoles(...PERSON_ROLES)
  @Get(':id')
  async detail(
    @CurrentSession() session: ConsoleSession,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() response: Response,
  ) {
    const elsewhere = CASE_PAGES[session.account.role];
    if (elsewhere) return response.redirect(303, elsewhere(id));
    response.render('cases/detail', await this.context(session, id, pageLanguage(response.req)));
  }

  @Post(':id/events')
  async step(
    @CurrentSession() session: ConsoleSession,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: { event?: unknown; reason?: unknown; transferTo?: unknown },
    @Res() response: Response,
  ) {
    await this.command(
      session,
      id,
      'POST',
      'events',
      {
        event: body.event,
        reason: formText(body.reason) || undefined,
        transferTo: formText(body.transferTo) || undefined,
      },
      response,
    );
  }

  @Post(':id/assignment')
  async assign(
    @CurrentSession() session: ConsoleSession,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: { caseManagerId?: unknown; mdtMembers?: unknown },
    @Res() response: Response,
  ) {
    const mdtMembers = formText(body.mdtMembers)
      .split('\n')
      .map((line) => line.split(',').map((part) => part.trim()))
      .filter((parts) => parts.some(Boolean))
      .map(([userId = '', organisationId = '', role = '']) => ({ userId, organisationId, role }));
    await this.command(
      session,
      id,
      'PUT',
      'assignment',
      { caseManagerId: formText(body.caseManagerId), mdtMembers },
      response,
    );
  }

  @Post(':id/escalations/:escalationId/resolve')
  async resolve(
    @CurrentSession() session: ConsoleSession,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('escalationId', ParseUUIDPipe) escalationId: string,
    @Body() body: { resolution?: unknown },
    @Res() response: Response,
  ) {
    await this.command(
      session,
      id,
      'POST',
      `escalations/${escalationId}/resolve`,
      { resolution: formText(body.resolution) },
      response,
    );
  }

  @Post(':id/hold-extensions')
  async extendHold(
    @CurrentSession() session: ConsoleSession,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: { courtOrderReference?: unknown; extraDays?: unknown },
    @Res() response: Response,
  ) {
    await this.command(
      session,
      id,
      'POST',
      'hold-extensions',
      {
        courtOrderReference: formText(body.courtOrderReference),
        extraDays: wholeNumber(body.extraDays),
      },
      response,
    );
  }

  @Post(':id/follow-up-visits')
  async recordVisit(
    @CurrentSession() session: ConsoleSession,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: { visitedOn?: unknown; outcome?: unknown },
    @Res() response: Response,
  ) {
    await this.command(
      session,
      id,
      'POST',
      'follow-up-visits',
      { visitedOn: formText(body.visitedOn), outcome: formText(body.outcome) },
      response,
    );
  }

  /**
   * Sends one command about the case to the province (`/cases/<id>/<part>`), in
   * the page's language; back to the case page when it is done, else the page
   * again with the province's refusal.
   */
  private async command(
    session: ConsoleSession,
    id: string,
    method: 'POST' | 'PUT',
    part: string,
    body: object,
    response: Response,
  ): Promise<void> {
    const language = pageLanguage(response.req);
    const answer = await this.backends.call<RefusalBody>(
      session,
      'province',
      method,
      `/cases/${id}/${part}`,
      {
        body,
        language,
      },
    );
    if (answer.status < 400) return response.redirect(303, `/cases/${id}`);
    const refusal =
      answer.body?.errors?.map((error) => error.message).join(' ') ||
      refusalText(answer.body) ||
      answer.status;
    response
      .status(answer.status === 404 ? 404 : 409)
      .render('cases/detail', { ...(await this.context(session, id, language)), refusal });
  }

  private async context(session: ConsoleSession, id: string, language: Language) {
    const found = await this.backends.get<CaseView>(session, 'province', `/cases/${id}`);
    const decision = await this.backends.call<RoutingDecision>(session, 'routing', 'GET', `/decisions/${id}`);
    const provinceCode = session.account.provinceCode;
    return {
      found: { ...found, reference: caseReference(found.id) },
      steps: nextSteps(found, provinceCode).map((event) => ({
        event,
        needsReason: 'requiresReason' in CASE_TRANSITIONS[event],
        needsProvince: event === 'request_transfer',
      })),
      transferTargets: PROVINCE_CODES.filter((code) => code !== found.provinceCode),
      routing: decision.status === 200 ? explainRouting(decision.body, language) : null,
      pendingDeadlines: found.deadlines.filter((deadline) => deadline.status === 'pending'),
      holdRunning: found.deadlines.some(
        (deadline) => deadline.kind === IDENTIFICATION_HOLD && deadline.status === 'pending',
      ),
      openEscalations: (found.escalations ?? []).filter((escalation) => !escalation.resolvedAt),
      resolvedEscalations: (found.escalations ?? []).filter((escalation) => escalation.resolvedAt),
      nextVisit: (found.followUpVisits ?? []).find((visit) => !visit.visitedOn),
      followUpOutcomes: FOLLOW_UP_OUTCOMES,
      timeline: timeline(found),
      mdtText: found.mdtMembers
        .map((member) => `${member.userId}, ${member.organisationId}, ${member.role}`)
        .join('\n'),
    };
  }
}
