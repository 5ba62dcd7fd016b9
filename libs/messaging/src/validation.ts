import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, isObject, validateSync, ValidationError } from 'class-validator';
import type { MetadataStorage } from 'class-validator/types/metadata/MetadataStorage';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { breaksNoRule } from './rule-shortcut';

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
): { value: T; problems: [] } | { problems: FieldProblem[] } {
  if (plain === null || plain === undefined) return { problems: [{ field: '', constraints: ['isObject'] }] };
  let value: T;
  try {
    value = plainToInstance(cls, plain);
  } catch {
    return { problems: unconvertibleFields(cls, plain) };
  }
  const problems = describeProblems(validateSync(value, { whitelist: true, forbidNonWhitelisted: true }));
  return problems.length ? { problems } : { value, problems: [] };
}

/**
 * class-transformer throws on some shapes JSON can take, such as a nested
 * object with a `constructor` key: the fields that hold one are named, so such
 * data is refused like any other instead of failing whoever checks it.
 */
function unconvertibleFields<T extends object>(cls: new () => T, plain: unknown): FieldProblem[] {
  const fields = isObject(plain)
    ? Object.keys(plain).filter((field) => {
        try {
          plainToInstance(cls, { [field]: (plain as Record<string, unknown>)[field] });
          return false;
        } catch {
          return true;
        }
      })
    : [];
  return (fields.length ? fields : ['']).map((field) => ({ field, constraints: ['isConvertible'] }));
}

/** The problems of JSON data as `parseAs` lists them; data that breaks no rule is not turned into `cls`. */
export function validateAs<T extends object>(cls: new () => T, plain: unknown): FieldProblem[] {
  return breaksNoRule(cls, plain) ? [] : parseAs(cls, plain).problems;
}

type RulesByProperty = ReturnType<MetadataStorage['groupByPropertyName']>;

const remembering = new WeakSet<MetadataStorage>();

/**
 * Keeps, per class, the rules class-validator finds for it. On every check of
 * every object it looks them up again, scanning each class that has rules to
 * find the ancestors (typestack/class-validator#2686): with the contracts'
 * classes that was a tenth of checking an event, and every event of a surge is
 * checked by each service that applies it. The rules of a class are registered
 * when it is defined, before anything of it is checked; should one be registered
 * later all remembered answers are forgotten, so a check never misses a rule.
 */
export function rememberValidationRules(storage: MetadataStorage = getMetadataStorage()): void {
  if (remembering.has(storage)) return;
  remembering.add(storage);
  let rulesOf = new WeakMap<object, Map<string, ValidationMetadata[]>>();
  let byProperty = new WeakMap<ValidationMetadata[], RulesByProperty>();
  const findRules = storage.getTargetValidationMetadatas.bind(storage);
  const groupRules = storage.groupByPropertyName.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    let forTarget = rulesOf.get(target);
    if (!forTarget) rulesOf.set(target, (forTarget = new Map<string, ValidationMetadata[]>()));
    const key = JSON.stringify([schema, always, strictGroups, groups]);
    let rules = forTarget.get(key);
    if (!rules) forTarget.set(key, (rules = findRules(target, schema, always, strictGroups, groups)));
    return rules;
  };
  storage.groupByPropertyName = (rules) => {
    let grouped = byProperty.get(rules);
    if (!grouped) byProperty.set(rules, (grouped = groupRules(rules)));
    return grouped;
  };
  storage.addValidationMetadata = (rule) => {
    rulesOf = new WeakMap();
    byProperty = new WeakMap();
    addRule(rule);
  };
}
