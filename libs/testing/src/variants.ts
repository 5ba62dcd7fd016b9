/**
 * Variations of valid data, to compare two validators on: each changes one
 * place (removes it, replaces it, adds beside it), at every depth.
 */

type Json = Record<string, unknown>;

const ID = '0b8f7c1e-3c41-4a55-9d37-0f3f1f2a9a11';
const AT = '2026-11-20T08:30:00.000Z';

/** Values that break one rule or another, or none, in place of another value. */
export const SCALARS: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'x'.repeat(101),
  'x'.repeat(201),
  0,
  -1,
  1,
  1.5,
  true,
  false,
  ID,
  'TH-63',
  'A',
  'urgent',
  AT,
  '2026-11-20',
  'constructor',
];

/** Shapes that no valid event has: lists and objects where they do not belong, keys class-transformer drops. */
export const ODD_SHAPES: unknown[] = [
  [],
  ['x'],
  [1],
  [null],
  [{}],
  {},
  { service: 'shelter', organisationId: null },
  { id: 'system', role: 'system' },
  { constructor: 'x' },
  [{ constructor: 'x' }],
  new Date(0),
];

export const ODD_KEYS = ['extra', 'constructor', 'toString', '__proto__'];

export interface Changes {
  values: unknown[];
  keys: string[];
}

function withKey(object: Json, key: string, value: unknown): Json {
  const copy = { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Every way of changing one place of `value`: removing it, replacing it, adding beside it; also deeper down. */
export function variantsOf(value: unknown, changes: Changes): unknown[] {
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    return [
      ...changes.values.map((odd) => [...items, odd]),
      ...items.flatMap((item, index) =>
        [...changes.values, ...variantsOf(item, changes)].map((replacement) =>
          items.map((each, at) => (at === index ? replacement : each)),
        ),
      ),
    ];
  }
  if (typeof value !== 'object' || value === null) return [];
  const object = value as Json;
  return [
    ...changes.keys.map((key) => withKey(object, key, 'x')),
    ...Object.keys(object).flatMap((key) => {
      const without = { ...object };
      delete without[key];
      return [
        without,
        ...[...changes.values, ...variantsOf(object[key], changes)].map((replacement) => ({
          ...object,
          [key]: replacement,
        })),
      ];
    }),
  ];
}
