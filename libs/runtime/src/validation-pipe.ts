import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { describeProblems } from '@nrm/messaging';
import { INVALID_REQUEST } from './i18n/constraint-messages';

/**
 * Request validation for every endpoint: unknown fields are refused, and the
 * error lists every field problem by path and rule, never echoing the value.
 * A service's `LocalisedValidationFilter` adds a sentence per field in the
 * caller's language.
 */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: INVALID_REQUEST.en,
        errors: describeProblems(errors),
      }),
  });
}
