import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { json, text } from 'express';
import type { Express, NextFunction, Request, Response } from 'express';

export const BATCH_PATH = '/referrals/batch';
/** 1,000 referrals with short narratives fit with room to spare; the global limit stays 100 kB. */
export const BATCH_BODY_LIMIT = '10mb';

/**
 * Body parsers for the batch route only: JSON up to BATCH_BODY_LIMIT, and CSV
 * (text/csv). They are mounted while the module is instantiated, before Nest
 * adds its global parsers, which then skip a body already parsed. (Wrapped in
 * one named handler: Nest adds its own JSON parser only when it finds no
 * layer named `jsonParser`.)
 */
@Injectable()
export class BatchBodyParsers {
  constructor(adapterHost: HttpAdapterHost) {
    const parseJson = json({ limit: BATCH_BODY_LIMIT });
    const parseCsv = text({ type: 'text/csv', limit: BATCH_BODY_LIMIT });
    function batchBodyParser(request: Request, response: Response, next: NextFunction): void {
      void parseJson(request, response, (error?: unknown) =>
        error ? next(error) : void parseCsv(request, response, next),
      );
    }
    adapterHost.httpAdapter.getInstance<Express>().use(BATCH_PATH, batchBodyParser);
  }
}
