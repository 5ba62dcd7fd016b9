import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

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

/**
 * Turns plain data into `cls` and checks it: unknown fields are refused. Every
 * rule in the contracts is synchronous, and checking without a promise per
 * rule matters when every event and submission of a surge is checked.
 */
export function parseAs<T extends object>(
  cls: new () => T,
  plain: unknown,
): { value: T; problems: FieldProblem[] } {
  const value = plainToInstance(cls, plain);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true });
  return { value, problems: describeProblems(errors) };
}

export function validateAs<T extends object>(cls: new () => T, plain: unknown): FieldProblem[] {
  return parseAs(cls, plain).problems;
}
