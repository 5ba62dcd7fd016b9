import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Language, LANGUAGES } from '@nrm/runtime';
import { MessageKey, MESSAGES, STATE_WORDS } from './messages';

export const LANGUAGE_COOKIE = 'nrm_lang';

/** Thai unless the person switched to English (a cookie, so every page and form follows). */
export function pageLanguage(request: Request): Language {
  const chosen = (request.cookies as Record<string, string> | undefined)?.[LANGUAGE_COOKIE];
  return (LANGUAGES as readonly string[]).includes(chosen ?? '') ? (chosen as Language) : 'th';
}

/** Helpers every template has: the page's language, its texts, lifecycle codes and times in words. */
export function pageHelpers(language: Language) {
  const dateTime = new Intl.DateTimeFormat(language === 'th' ? 'th-TH' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Bangkok',
  });
  return {
    lang: language,
    t: (key: MessageKey) => MESSAGES[key][language],
    word: (code: string | null | undefined) =>
      code ? (STATE_WORDS[code]?.[language] ?? code.replace(/[_-]/g, ' ')) : '',
    when: (at: string | null | undefined) => (at ? dateTime.format(new Date(at)) : ''),
    timeLeft: (at: string) => timeLeft(new Date(at).getTime() - Date.now(), language),
  };
}

/** As public/countdown.js words it, which takes over in the browser. */
function timeLeft(ms: number, language: Language): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const [days, hours, rest] = [Math.floor(minutes / 1_440), Math.floor((minutes % 1_440) / 60), minutes % 60];
  const th = language === 'th';
  const parts = [
    ...(days ? [`${days}${th ? ' วัน' : ' d'}`] : []),
    ...(days || hours ? [`${hours}${th ? ' ชม.' : ' h'}`] : []),
    `${rest}${th ? ' นาที' : ' min'}`,
  ].join(' ');
  if (ms >= 0) return parts;
  return th ? `เลยกำหนด ${parts}` : `overdue by ${parts}`;
}

/** Puts the helpers into every page's template context. */
@Injectable()
export class PageLanguageMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    Object.assign(response.locals, pageHelpers(pageLanguage(request)), { path: request.originalUrl });
    response.setHeader('Content-Language', response.locals.lang as string);
    next();
  }
}
