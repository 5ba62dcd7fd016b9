import { CONSTRAINT_MESSAGES, Localised, UNKNOWN_CONSTRAINT } from './constraint-messages';
import { FieldProblem } from '@nrm/messaging';
import { Language } from './language';

export interface LocalisedFieldProblem extends FieldProblem {
  message: string;
}

/**
 * A form's field labels (by dotted path, list positions left out) and, where
 * the generic wording of a rule says too little, messages for one field and
 * rule (`'person.nationality:matches'`).
 */
export interface FieldCatalogue {
  labels: Readonly<Record<string, Localised>>;
  messages?: Readonly<Record<string, Localised>>;
}

/** Rules about fields the form does not know: named as sent. */
const RAW_FIELD_CONSTRAINTS = new Set(['whitelistValidation', 'csvRepeatedColumn', 'csvFormat']);

function pathOf(field: string): string {
  return field
    .split('.')
    .filter((segment) => !/^\d+$/.test(segment))
    .join('.');
}

/** Rules about a value's kind: when one is broken, the others (range, length, format) follow from it. */
const KIND_CONSTRAINTS = new Set([
  'isDefined',
  'isString',
  'isInt',
  'isBoolean',
  'isArray',
  'isObject',
  'nestedValidation',
  'isDateString',
]);

function worded(constraints: string[]): string[] {
  const kinds = constraints.filter((constraint) => KIND_CONSTRAINTS.has(constraint));
  return kinds.length ? kinds : constraints;
}

/** One sentence per field problem, in the caller's language; the first broken rule leads. */
export function localiseProblems(
  problems: FieldProblem[],
  language: Language,
  catalogue: FieldCatalogue,
): LocalisedFieldProblem[] {
  return problems.map((problem) => {
    const path = pathOf(problem.field);
    const label = catalogue.labels[path]?.[language] ?? problem.field;
    const message = worded(problem.constraints)
      .map((constraint) => {
        const specific = catalogue.messages?.[`${path}:${constraint}`]?.[language];
        if (specific) return specific;
        const named = RAW_FIELD_CONSTRAINTS.has(constraint) ? problem.field : label;
        return (CONSTRAINT_MESSAGES[constraint] ?? UNKNOWN_CONSTRAINT)[language](named);
      })
      .join(language === 'th' ? ' ' : '; ');
    return { ...problem, message };
  });
}
