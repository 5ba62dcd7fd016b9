import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Backends, RefusalBody } from '../backends/backends';
import { pageLanguage } from '../i18n/page-language';
import { formText } from '../pages/form-text';
import { ConsoleSession } from '../session/console-session';
import { CurrentSession } from '../session/current-session';

/** The channels a person may choose beyond the in-app inbox, as the notifications service knows them. */
const CHANNELS = ['email', 'sms', 'line'] as const;
const TEXT_FIELDS = ['email', 'phone', 'lineUserId', 'quietFrom', 'quietUntil'] as const;

interface Preferences {
  language: string;
  channels: string[];
  email?: string | null;
  phone?: string | null;
  lineUserId?: string | null;
  quietFrom?: string | null;
  quietUntil?: string | null;
}

/** What the form sent, as the notifications API takes it: empty fields left out. */
function preferencesFrom(body: Record<string, unknown>): Preferences {
  const chosen = ([] as unknown[]).concat(body.channels ?? []);
  const given: Partial<Record<(typeof TEXT_FIELDS)[number], string>> = {};
  for (const field of TEXT_FIELDS) {
    const text = formText(body[field]);
    if (text) given[field] = text;
  }
  return {
    language: formText(body.language),
    channels: CHANNELS.filter((channel) => chosen.includes(channel)),
    ...given,
  };
}

/**
 * Everyone's own notification preferences: which channels beyond the inbox,
 * the contact details they need, the language of messages and quiet hours.
 * The notifications service validates them; its field errors are shown
 * beside each field, in the page's language.
 */
@Controller('preferences')
export class PreferencesController {
  constructor(private readonly backends: Backends) {}

  @Get()
  async page(
    @CurrentSession() session: ConsoleSession,
    @Query('notice') notice: unknown,
    @Res() response: Response,
  ) {
    const found = await this.backends.call<Preferences>(session, 'notifications', 'GET', this.path(session));
    if (found.status === 404) return response.render('preferences/form', { notRegistered: true });
    response.render('preferences/form', { values: found.body, saved: notice === 'saved', fieldErrors: {} });
  }

  @Post()
  async save(
    @CurrentSession() session: ConsoleSession,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const preferences = preferencesFrom(body);
    const answer = await this.backends.call<RefusalBody>(
      session,
      'notifications',
      'PUT',
      `${this.path(session)}/preferences`,
      { body: preferences, language: pageLanguage(response.req) },
    );
    if (answer.status === 404)
      return response.status(404).render('preferences/form', { notRegistered: true });
    if (answer.status >= 400) {
      const errors = answer.body.errors ?? [];
      return response.status(400).render('preferences/form', {
        values: preferences,
        errors,
        fieldErrors: Object.fromEntries(errors.map((error) => [error.field, error.message])),
      });
    }
    response.redirect(303, '/preferences?notice=saved');
  }

  private path(session: ConsoleSession): string {
    return `/subscribers/${encodeURIComponent(session.account.id)}`;
  }
}
