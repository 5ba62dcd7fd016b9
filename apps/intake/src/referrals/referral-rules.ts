import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A named rule over a field's value and the object holding it; the name is the
 * constraint reported (and localised) when the rule is broken.
 */
export function Rule<T extends object>(
  name: string,
  holds: (value: unknown, holder: T) => boolean,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    { name, validator: { validate: (value, args) => holds(value, args?.object as T) } },
    options,
  );
}

/** A code from the list, or absent (absence is another rule's business). */
export function CodeOrAbsent(codes: readonly string[]): PropertyDecorator {
  return Rule('isIn', (value) => value === undefined || codes.includes(value as string));
}

const BANGKOK_OFFSET_MS = 7 * 3_600_000;
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * True unless the date (YYYY-MM-DD, a date in Thailand) or date-time lies in
 * the future. Unparseable values pass: the format rule reports them.
 */
export function notInFuture(value: unknown, now = Date.now()): boolean {
  if (typeof value !== 'string') return true;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return value <= new Date(now + BANGKOK_OFFSET_MS).toISOString().slice(0, 10);
  }
  const at = Date.parse(value);
  return Number.isNaN(at) || at <= now + CLOCK_SKEW_MS;
}

export function NotInFuture(): PropertyDecorator {
  return Rule('notInFuture', (value) => notInFuture(value));
}
