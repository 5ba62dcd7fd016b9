import { ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { validateSync, ValidationError, ValidatorOptions } from 'class-validator';
import { describeProblems, instanceBreaksNoRule } from '@nrm/messaging';
import { invalidFields } from './invalid-fields';

/**
 * Request validation for every endpoint: unknown fields are refused, and the
 * error lists every field problem by path and rule, never echoing the value.
 * A service's `LocalisedValidationFilter` adds a sentence per field in the
 * caller's language.
 */
export function strictValidationPipe(): ValidationPipe {
  return new SynchronousValidationPipe(strictValidationOptions());
}

export function strictValidationOptions(): ValidationPipeOptions {
  return {
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => invalidFields(describeProblems(errors)),
  };
}

/**
 * Every rule in the DTOs is synchronous: checking without a promise per rule is
 * cheaper under load. A body that breaks no rule is let through by the
 * shortcut that checks events (`instanceBreaksNoRule`); class-validator lists
 * the problems of the others.
 */
class SynchronousValidationPipe extends ValidationPipe {
  protected override validate(object: object, validatorOptions?: ValidatorOptions): ValidationError[] {
    return instanceBreaksNoRule(object) ? [] : validateSync(object, validatorOptions);
  }
}
