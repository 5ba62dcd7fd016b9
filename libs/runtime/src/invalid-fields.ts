import { BadRequestException } from '@nestjs/common';
import { FieldProblem } from '@nrm/messaging';
import { INVALID_REQUEST } from './i18n/constraint-messages';

/** The 400 every service answers for bad input: each field problem by path and rule, never the value. */
export function invalidFields(
  errors: FieldProblem[],
  message: string = INVALID_REQUEST.en,
): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message, errors });
}
