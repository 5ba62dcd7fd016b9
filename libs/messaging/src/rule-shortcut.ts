import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Plain = Record<string, unknown>;
type Check = (plain: unknown) => boolean;
type PropertyCheck = (plain: Plain) => boolean;

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
export function breaksNoRule(cls: new () => object, plain: unknown): boolean {
  try {
    return checkOf(cls, undefined)(plain);
  } catch {
    return false;
  }
}

const compiled = new WeakMap<ValidationMetadata[], Check>();

function checkOf(cls: new () => object, schema: string | undefined): Check {
  const rules = getMetadataStorage().getTargetValidationMetadatas(cls, schema as string, false, false);
  let check = compiled.get(rules);
  if (!check) compiled.set(rules, (check = compile(cls, rules)));
  return check;
}

function compile(cls: new () => object, rules: ValidationMetadata[]): Check {
  // class-validator refuses an object whose class has no rules (`forbidUnknownValues`).
  if (rules.length === 0 || exposesOrExcludes(cls)) return refuse;
  const byProperty = getMetadataStorage().groupByPropertyName(rules);
  const blank = new cls() as Plain;
  // A property the instance starts with but no rule names is refused; one with a default is checked with it.
  if (Object.keys(blank).some((key) => !Object.hasOwn(byProperty, key) || blank[key] !== undefined))
    return refuse;
  const propertyChecks: PropertyCheck[] = [];
  for (const [property, propertyRules] of Object.entries(byProperty)) {
    if (property in cls.prototype || transforms(cls, property)) return refuse;
    const check = compileProperty(cls, property, propertyRules);
    if (!check) return refuse;
    propertyChecks.push(check);
  }
  const allowed = new Set(Object.keys(byProperty));
  return (plain) => {
    if (!isPlainObject(plain)) return false;
    for (const key of Object.keys(plain)) if (!allowed.has(key)) return false;
    for (const check of propertyChecks) if (!check(plain)) return false;
    return true;
  };
}

function compileProperty(
  cls: new () => object,
  property: string,
  rules: ValidationMetadata[],
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
        nested = compileNested(cls, property, rule);
        if (!nested) return undefined;
        break;
      case ValidationTypes.WHITELIST:
        break;
      default:
        return undefined;
    }
  }
  const transformed = defaultMetadataStorage.findTypeMetadata(cls, property) !== undefined;
  if (transformed && !nested) return undefined;
  return (plain) => {
    const value = plain[property];
    for (const condition of conditions) if (!condition(plain, value)) return true;
    for (const constraint of constraints) if (!constraint(plain, value)) return false;
    if (!transformed && !isFlat(value)) return false;
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
      return rule.each && Array.isArray(value) ? value.every(holds) : holds(value);
    });
}

/**
 * class-transformer makes each nested plain object an instance of the declared
 * type, and class-validator checks it with that type's rules: an array's items
 * one by one, nothing when the value is absent, a refusal for anything else.
 */
function compileNested(cls: new () => object, property: string, rule: ValidationMetadata): Check | undefined {
  const declared = defaultMetadataStorage.findTypeMetadata(cls, property);
  if (!declared || declared.options?.discriminator || typeof rule.target !== 'function') return undefined;
  const type = (declared.typeFunction as () => unknown)();
  if (typeof type !== 'function') return undefined;
  const schema = rule.target.name;
  const checkItem: Check = (item) =>
    item === undefined || (isPlainObject(item) && checkOf(type as new () => object, schema)(item));
  return (value) => value === undefined || (Array.isArray(value) ? value.every(checkItem) : checkItem(value));
}

function exposesOrExcludes(cls: new () => object): boolean {
  return (
    defaultMetadataStorage.getStrategy(cls) !== 'none' ||
    defaultMetadataStorage.getExposedMetadatas(cls).length > 0 ||
    defaultMetadataStorage.getExcludedMetadatas(cls).length > 0
  );
}

function transforms(cls: new () => object, property: string): boolean {
  return (
    defaultMetadataStorage.findTransformMetadatas(cls, property, TransformationType.PLAIN_TO_CLASS).length > 0
  );
}

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * A value class-transformer copies as it is: a scalar, or a list or object of
 * scalars. It copies deeper data piece by piece, drops keys such as `toString`
 * and throws on some (`constructor`), so such data is left to class-validator.
 */
function isFlat(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(isScalar);
  return (
    isPlainObject(value) &&
    Object.entries(value).every(([key, item]) => !(key in Object.prototype) && isScalar(item))
  );
}

function isScalar(value: unknown): boolean {
  return typeof value !== 'object' || value === null;
}
