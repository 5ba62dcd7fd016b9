import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { describeProblems } from '@nrm/messaging';

/**
 * Request validation for every endpoint: unknown fields are refused, and the
 * error lists every field problem by path and rule, never echoing the value.
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
        message: 'The request has invalid fields',
        errors: describeProblems(errors),
      }),
  });
}
