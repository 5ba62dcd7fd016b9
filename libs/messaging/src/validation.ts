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

/** Turns plain data into `cls` and checks it: unknown fields are refused. */
export async function parseAs<T extends object>(
  cls: new () => T,
  plain: unknown,
): Promise<{ value: T; problems: FieldProblem[] }> {
  const value = plainToInstance(cls, plain);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true });
  return { value, problems: describeProblems(errors) };
}

export async function validateAs<T extends object>(
  cls: new () => T,
  plain: unknown,
): Promise<FieldProblem[]> {
  return (await parseAs(cls, plain)).problems;
}
