import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { correlationIdOf, withCorrelation } from './correlation';

/**
 * Makes the request's correlation id the ambient one for everything the request
 * does (log lines, events written). Agrees with pino-http's request id whichever
 * middleware runs first: both read the same header, which this one fills in.
 */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(request: Request & { id?: unknown }, response: Response, next: NextFunction): void {
    const correlationId = typeof request.id === 'string' ? request.id : correlationIdOf(request);
    request.headers['x-correlation-id'] = correlationId;
    response.setHeader('x-correlation-id', correlationId);
    withCorrelation(correlationId, next);
  }
}
