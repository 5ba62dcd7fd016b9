import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

export interface FieldProblem {
  field: string;
  constraints: string[];
}

/**
 * Field paths and the names of the broken rules only: a rejected value may be
 * identifying data, so it never reaches a log, a dead letter or an error message.
 */
export function describeProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, constraints: Object.keys(error.constraints) }] : [];
    return [...own, ...describeProblems(error.children ?? [], field)];
  });
}

export async function validateAs<T extends object>(
  cls: new () => T,
  plain: unknown,
): Promise<FieldProblem[]> {
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  return describeProblems(errors);
}
