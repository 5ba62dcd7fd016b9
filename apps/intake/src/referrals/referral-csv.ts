import { parse } from 'csv-parse/sync';
import { FieldProblem } from '@nrm/messaging';

type ColumnKind = 'text' | 'integer' | 'boolean' | 'list';

/**
 * The CSV upload's columns, in the documented order: the JSON fields
 * flattened with dots. A list's entries are separated by `|`. Booleans are
 * `true`/`false` (also `yes`/`no`); an empty cell is a field left out.
 */
export const CSV_COLUMNS: readonly (readonly [string, ColumnKind])[] = [
  ['referrer.organisation', 'text'],
  ['referrer.officer', 'text'],
  ['referrer.contactChannel', 'text'],
  ['cameToNoticeVia', 'text'],
  ['found.provinceCode', 'text'],
  ['found.district', 'text'],
  ['found.date', 'text'],
  ['person.age', 'integer'],
  ['person.ageBand', 'text'],
  ['person.gender', 'text'],
  ['person.nationality', 'text'],
  ['person.languages', 'list'],
  ['person.interpreterNeeded', 'boolean'],
  ['person.disability', 'boolean'],
  ['person.disabilityKinds', 'list'],
  ['person.pregnancy', 'boolean'],
  ['person.immigrationDocumentStatus', 'text'],
  ['exploitationTypes', 'list'],
  ['forcedLabourSector', 'text'],
  ['indicators.forcedLabour', 'list'],
  ['indicators.methodsOfControl', 'list'],
  ['needs.dangerLevel', 'text'],
  ['needs.medical', 'text'],
  ['needs.shelter', 'boolean'],
  ['needs.legalAid', 'boolean'],
  ['needs.interpreter', 'boolean'],
  ['needs.wishToReturnHome', 'boolean'],
  ['consent.shareWithServiceProviders', 'boolean'],
  ['consent.contactLater', 'boolean'],
  ['consent.recordedBy', 'text'],
  ['consent.recordedAt', 'text'],
  ['guardianOrBestInterest.kind', 'text'],
  ['guardianOrBestInterest.recordedBy', 'text'],
  ['guardianOrBestInterest.recordedAt', 'text'],
  ['identity.fullName', 'text'],
  ['identity.dateOfBirth', 'text'],
  ['identity.documentNumber', 'text'],
  ['identity.otherDocumentNumbers', 'list'],
  ['identity.phone', 'text'],
  ['identity.address', 'text'],
  ['narrative', 'text'],
];

export const CSV_HEADER = CSV_COLUMNS.map(([column]) => column).join(',');

const KINDS = new Map<string, ColumnKind>(CSV_COLUMNS);

/** A cell's value as JSON would carry it; a cell that is not of its kind stays text, for validation to report. */
function cellValue(kind: ColumnKind, cell: string): unknown {
  switch (kind) {
    case 'text':
      return cell;
    case 'integer':
      return /^-?\d{1,6}$/.test(cell) ? Number(cell) : cell;
    case 'boolean': {
      const lower = cell.toLowerCase();
      if (lower === 'true' || lower === 'yes') return true;
      if (lower === 'false' || lower === 'no') return false;
      return cell;
    }
    case 'list':
      return cell
        .split('|')
        .map((entry) => entry.trim())
        .filter(Boolean);
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  const last = segments.pop() as string;
  let node = target;
  for (const segment of segments) {
    node[segment] ??= {};
    node = node[segment] as Record<string, unknown>;
  }
  node[last] = value;
}

export class CsvFormatError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super('The CSV upload is not in the documented format');
  }
}

/**
 * Parses an uploaded CSV (header row first) into referral objects shaped like
 * the JSON body. Unknown columns refuse the whole upload; so does a row with
 * the wrong number of cells (reported by line, never by content).
 */
export function parseReferralCsv(text: string): Record<string, unknown>[] {
  let records: string[][];
  try {
    const parsed: unknown = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_quotes: false,
    });
    records = parsed as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new CsvFormatError([{ field: line ? `line ${line}` : 'csv', constraints: ['csvFormat'] }]);
  }
  const [header, ...rows] = records;
  if (!header) throw new CsvFormatError([{ field: 'csv', constraints: ['csvHeader'] }]);
  const unknown = header.filter((column) => !KINDS.has(column));
  const repeated = header.filter((column, index) => header.indexOf(column) !== index);
  if (unknown.length || repeated.length)
    throw new CsvFormatError([
      ...unknown.map((column) => ({ field: column, constraints: ['whitelistValidation'] })),
      ...repeated.map((column) => ({ field: column, constraints: ['csvRepeatedColumn'] })),
    ]);
  return rows.map((cells) => {
    const referral: Record<string, unknown> = {};
    header.forEach((column, index) => {
      const cell = cells[index] ?? '';
      if (cell !== '') setPath(referral, column, cellValue(KINDS.get(column) as ColumnKind, cell));
    });
    return referral;
  });
}
