import { ValidationPipe } from '@nestjs/common';
import { describeProblems } from '@nrm/messaging';
import { invalidFields } from './invalid-fields';

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
    exceptionFactory: (errors) => invalidFields(describeProblems(errors)),
  });
}
