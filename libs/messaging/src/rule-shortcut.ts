import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Plain = Record<string, unknown>;
type Check = (data: unknown) => boolean;
type PropertyCheck = (data: Plain) => boolean;
type Constructor = new () => object;

/**
 * What is checked: JSON data as it will be turned into the class (an event),
 * or an object class-transformer already made (a request body, by the pipe).
 */
type Form = 'json' | 'instance';

const refuse: Check = () => false;

/**
 * Whether JSON data breaks no rule of `cls`, answered without class-transformer
 * and class-validator building an instance, an error object per property and
 * an arguments object per rule: on a surge that work was an eighth of every
 * consumer's time, for events that are nearly all valid.
 *
 * `true` only where `parseAs(cls, plain)` finds no problem; `false` means
 * "ask class-validator", which then lists the problems (or finds none). Each
 * rule runs class-validator's own constraint, with its ordering, conditions,
 * `each` and nesting rules; a class using anything this does not mirror
 * (groups, schemas, transforms, discriminators, asynchronous or promise rules)
 * always answers `false`. The rules of a class are read once, when it is first
 * checked; class-validator lists them anew when one is added, and so are they.
 */
export function breaksNoRule(cls: Constructor, plain: unknown): boolean {
  return answered(() => checkOf(cls, undefined, 'json')(plain));
}

/**
 * The same for an object already turned into its class: `true` only where
 * `validateSync(object, { whitelist: true, forbidNonWhitelisted: true })`
 * finds no problem, whatever other options (no groups) it is given.
 */
export function instanceBreaksNoRule(object: object): boolean {
  return answered(() => checkOf(object.constructor as Constructor, undefined, 'instance')(object));
}

function answered(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

const compiled: Record<Form, WeakMap<ValidationMetadata[], Check>> = {
  json: new WeakMap(),
  instance: new WeakMap(),
};

function checkOf(cls: Constructor, schema: string | undefined, form: Form): Check {
  const rules = getMetadataStorage().getTargetValidationMetadatas(cls, schema as string, false, false);
  let check = compiled[form].get(rules);
  if (!check) compiled[form].set(rules, (check = compile(cls, rules, form)));
  return check;
}

function compile(cls: Constructor, rules: ValidationMetadata[], form: Form): Check {
  // class-validator refuses an object whose class has no rules (`forbidUnknownValues`).
  if (rules.length === 0) return refuse;
  const byProperty = getMetadataStorage().groupByPropertyName(rules);
  if (form === 'json' && !convertsAsItIs(cls, byProperty)) return refuse;
  const propertyChecks: PropertyCheck[] = [];
  for (const [property, propertyRules] of Object.entries(byProperty)) {
    if (form === 'json' && (property in cls.prototype || transforms(cls, property))) return refuse;
    const check = compileProperty(cls, property, propertyRules, form);
    if (!check) return refuse;
    propertyChecks.push(check);
  }
  const allowed = new Set(Object.keys(byProperty));
  const isChecked = form === 'json' ? isPlainObject : isObject;
  return (data) => {
    if (!isChecked(data)) return false;
    for (const key of Object.keys(data)) if (!allowed.has(key)) return false;
    for (const check of propertyChecks) if (!check(data)) return false;
    return true;
  };
}

function compileProperty(
  cls: Constructor,
  property: string,
  rules: ValidationMetadata[],
  form: Form,
): PropertyCheck | undefined {
  const conditions: ((object: object, value: unknown) => boolean)[] = [];
  const constraints: ((object: Plain, value: unknown) => boolean)[] = [];
  let nested: Check | undefined;
  for (const rule of rules) {
    switch (rule.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        conditions.push(rule.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.CUSTOM_VALIDATION:
      case ValidationTypes.IS_DEFINED:
        constraints.push(...compileConstraint(cls.name, property, rule));
        break;
      case ValidationTypes.NESTED_VALIDATION:
        nested = compileNested(cls, property, rule, form);
        if (!nested) return undefined;
        break;
      case ValidationTypes.WHITELIST:
        break;
      default:
        return undefined;
    }
  }
  const copiedAsItIs =
    form === 'json' && defaultMetadataStorage.findTypeMetadata(cls, property) === undefined;
  if (form === 'json' && !copiedAsItIs && !nested) return undefined;
  return (data) => {
    const value = data[property];
    for (const condition of conditions) if (!condition(data, value)) return true;
    for (const constraint of constraints) if (!constraint(data, value)) return false;
    if (copiedAsItIs && !isFlat(value)) return false;
    return nested === undefined || nested(value);
  };
}

function compileConstraint(
  targetName: string,
  property: string,
  rule: ValidationMetadata,
): ((object: Plain, value: unknown) => boolean)[] {
  // Asynchronous constraints are skipped by `validateSync`, as here.
  return getMetadataStorage()
    .getTargetValidatorConstraints(rule.constraintCls)
    .filter((constraint) => !constraint.async)
    .map(({ instance }) => (object, value) => {
      if (rule.validateIf && !rule.validateIf(object, value)) return true;
      const args: ValidationArguments = {
        targetName,
        property,
        object,
        value,
        constraints: rule.constraints,
      };
      const holds = (item: unknown) => instance.validate(item, args) === true;
      if (!rule.each) return holds(value);
      // class-validator checks the items of a set or map one by one; they are not JSON and left to it.
      if (value instanceof Set || value instanceof Map) return false;
      return Array.isArray(value) ? value.every(holds) : holds(value);
    });
}

/**
 * class-validator checks a nested object with the rules of its class (made by
 * class-transformer from the declared type, for JSON), an array's items one by
 * one, and nothing when the value is absent; it refuses anything else.
 */
function compileNested(
  cls: Constructor,
  property: string,
  rule: ValidationMetadata,
  form: Form,
): Check | undefined {
  if (typeof rule.target !== 'function') return undefined;
  const schema = rule.target.name;
  let checkItem: Check;
  if (form === 'instance') {
    checkItem = (item) =>
      item === undefined ||
      (isObject(item) &&
        !Array.isArray(item) &&
        checkOf(item.constructor as Constructor, schema, form)(item));
  } else {
    const declared = defaultMetadataStorage.findTypeMetadata(cls, property);
    if (!declared || declared.options?.discriminator) return undefined;
    const type = (declared.typeFunction as () => unknown)();
    if (typeof type !== 'function') return undefined;
    checkItem = (item) =>
      item === undefined || (isPlainObject(item) && checkOf(type as Constructor, schema, form)(item));
  }
  return (value) =>
    value === undefined ||
    (Array.isArray(value)
      ? value.every(checkItem)
      : !(value instanceof Set || value instanceof Map) && checkItem(value));
}

/** JSON becomes an instance of the class property by property: no defaults, exposures or exclusions on the way. */
function convertsAsItIs(cls: Constructor, rulesByProperty: Record<string, unknown>): boolean {
  const blank = new cls() as Plain;
  return (
    Object.keys(blank).every((key) => Object.hasOwn(rulesByProperty, key) && blank[key] === undefined) &&
    defaultMetadataStorage.getStrategy(cls) === 'none' &&
    defaultMetadataStorage.getExposedMetadatas(cls).length === 0 &&
    defaultMetadataStorage.getExcludedMetadatas(cls).length === 0
  );
}

function transforms(cls: Constructor, property: string): boolean {
  return (
    defaultMetadataStorage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length > 0
  );
}

function isObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null;
}

function isPlainObject(value: unknown): value is Plain {
  return isObject(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A value class-transformer copies as it is: a scalar, or a list or object of
 * scalars. It copies deeper data piece by piece, drops keys such as `toString`
 * and throws on some (`constructor`), so such data is left to class-validator.
 */
function isFlat(value: unknown): boolean {
  if (!isObject(value)) return true;
  if (Array.isArray(value)) return value.every((item) => !isObject(item));
  return (
    isPlainObject(value) &&
    Object.entries(value).every(([key, item]) => !(key in Object.prototype) && !isObject(item))
  );
}
