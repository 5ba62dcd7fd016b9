import { ConflictException } from '@nestjs/common';

/** 409 with the reason a step is not allowed now, and what the caller needs to see why. */
export function refuse(refusal: string, details: Record<string, unknown>): never {
  throw new ConflictException({ statusCode: 409, error: 'Conflict', message: refusal, ...details });
}
