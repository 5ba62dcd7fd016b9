/**
 * A value as a JSON column stores it: class instances become plain objects and
 * undefined fields disappear, as they would on the way back out.
 */
export function jsonColumn(value: object): object {
  return JSON.parse(JSON.stringify(value)) as object;
}
