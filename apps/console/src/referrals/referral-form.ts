import {
  AGE_BANDS,
  CAME_TO_NOTICE_VIA,
  CHILD_CONSENT_BASES,
  CONTACT_CHANNELS,
  DANGER_LEVELS,
  DISABILITY_KINDS,
  EXPLOITATION_TYPES,
  FORCED_LABOUR_INDICATORS,
  FORCED_LABOUR_SECTORS,
  GENDERS,
  IMMIGRATION_DOCUMENT_STATUSES,
  MEDICAL_NEEDS,
  METHODS_OF_CONTROL,
  PROVINCES,
  PROVINCE_CODES,
} from '@nrm/contracts';
import { Language, REFERRAL_FIELDS } from '@nrm/runtime';
import { CODE_WORDS } from '../i18n/code-words';

type FieldKind =
  'text' | 'number' | 'date' | 'dateTime' | 'select' | 'choices' | 'yesNo' | 'list' | 'textarea';

interface FieldSpec {
  name: string;
  kind: FieldKind;
  required?: boolean;
  options?: readonly string[];
}

const BANGKOK_OFFSET = '+07:00';

/**
 * The referral form, field by field, named by the API's dotted paths so that
 * the API's localised field errors land beside the right input. Sections are
 * the API's groups; labels are the API's own (REFERRAL_FIELDS).
 */
const SECTIONS: { name: string; fields: FieldSpec[] }[] = [
  {
    name: 'referrer',
    fields: [
      { name: 'referrer.organisation', kind: 'text', required: true },
      { name: 'referrer.officer', kind: 'text', required: true },
      { name: 'referrer.contactChannel', kind: 'select', required: true, options: CONTACT_CHANNELS },
      { name: 'cameToNoticeVia', kind: 'select', required: true, options: CAME_TO_NOTICE_VIA },
    ],
  },
  {
    name: 'found',
    fields: [
      { name: 'found.provinceCode', kind: 'select', required: true, options: PROVINCE_CODES },
      { name: 'found.district', kind: 'text' },
      { name: 'found.date', kind: 'date', required: true },
    ],
  },
  {
    name: 'person',
    fields: [
      { name: 'person.age', kind: 'number' },
      { name: 'person.ageBand', kind: 'select', options: AGE_BANDS },
      { name: 'person.gender', kind: 'select', required: true, options: GENDERS },
      { name: 'person.nationality', kind: 'text', required: true },
      { name: 'person.languages', kind: 'list' },
      { name: 'person.interpreterNeeded', kind: 'yesNo' },
      { name: 'person.disability', kind: 'yesNo' },
      { name: 'person.disabilityKinds', kind: 'choices', options: DISABILITY_KINDS },
      { name: 'person.pregnancy', kind: 'yesNo' },
      { name: 'person.immigrationDocumentStatus', kind: 'select', options: IMMIGRATION_DOCUMENT_STATUSES },
    ],
  },
  {
    name: 'indicators',
    fields: [
      { name: 'exploitationTypes', kind: 'choices', required: true, options: EXPLOITATION_TYPES },
      { name: 'forcedLabourSector', kind: 'select', options: FORCED_LABOUR_SECTORS },
      { name: 'indicators.forcedLabour', kind: 'choices', options: FORCED_LABOUR_INDICATORS },
      { name: 'indicators.methodsOfControl', kind: 'choices', options: METHODS_OF_CONTROL },
    ],
  },
  {
    name: 'needs',
    fields: [
      { name: 'needs.dangerLevel', kind: 'select', required: true, options: DANGER_LEVELS },
      { name: 'needs.medical', kind: 'select', required: true, options: MEDICAL_NEEDS },
      { name: 'needs.shelter', kind: 'yesNo' },
      { name: 'needs.legalAid', kind: 'yesNo' },
      { name: 'needs.interpreter', kind: 'yesNo' },
      { name: 'needs.wishToReturnHome', kind: 'yesNo' },
    ],
  },
  {
    name: 'consent',
    fields: [
      { name: 'consent.shareWithServiceProviders', kind: 'yesNo', required: true },
      { name: 'consent.contactLater', kind: 'yesNo', required: true },
      { name: 'consent.recordedBy', kind: 'text', required: true },
      { name: 'consent.recordedAt', kind: 'dateTime', required: true },
    ],
  },
  {
    name: 'guardianOrBestInterest',
    fields: [
      { name: 'guardianOrBestInterest.kind', kind: 'select', options: CHILD_CONSENT_BASES },
      { name: 'guardianOrBestInterest.recordedBy', kind: 'text' },
      { name: 'guardianOrBestInterest.recordedAt', kind: 'dateTime' },
    ],
  },
  {
    name: 'identity',
    fields: [
      { name: 'identity.fullName', kind: 'text' },
      { name: 'identity.dateOfBirth', kind: 'date' },
      { name: 'identity.documentNumber', kind: 'text' },
      { name: 'identity.otherDocumentNumbers', kind: 'list' },
      { name: 'identity.phone', kind: 'text' },
      { name: 'identity.address', kind: 'text' },
      { name: 'narrative', kind: 'textarea' },
    ],
  },
];

const INPUT_TYPES: Partial<Record<FieldKind, string>> = {
  number: 'number',
  date: 'date',
  dateTime: 'datetime-local',
};

const fieldId = (name: string) => `field-${name.replace(/\./g, '-')}`;

const FIELDS = SECTIONS.flatMap((section) => section.fields);

export type FormValues = Record<string, string | string[]>;

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

function typed(field: FieldSpec, raw: string | string[]): unknown {
  if (field.kind === 'choices') return asList(raw);
  const text = (Array.isArray(raw) ? (raw[0] ?? '') : raw).trim();
  if (text === '') return undefined;
  switch (field.kind) {
    case 'number':
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case 'yesNo':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'list':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    case 'dateTime':
      // A datetime-local input has no zone: the form is filled in Thailand.
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? `${text}:00${BANGKOK_OFFSET}` : text;
    case 'text':
    case 'date':
    case 'select':
    case 'textarea':
      return text;
  }
}

function put(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const segments = dotted.split('.');
  const last = segments.pop() as string;
  let node = target;
  for (const segment of segments) node = (node[segment] ??= {}) as Record<string, unknown>;
  node[last] = value;
}

function pick(source: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment], source);
}

/** What the person typed, as the values the form shows again. */
export function formValues(body: Record<string, unknown>): FormValues {
  return Object.fromEntries(
    FIELDS.map((field) => [
      field.name,
      field.kind === 'choices' ? asList(body[field.name]) : String(asList(body[field.name])[0] ?? ''),
    ]),
  );
}

/** The referral the API takes: only what was filled in, typed as the API expects. */
export function referralOf(values: FormValues): Record<string, unknown> {
  const referral: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const value = typed(field, values[field.name] ?? '');
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    put(referral, field.name, value);
  }
  return referral;
}

/** A saved draft back into the form's values. */
export function valuesOf(referral: unknown): FormValues {
  return Object.fromEntries(
    FIELDS.map((field): [string, string | string[]] => {
      const value = pick(referral, field.name);
      if (field.kind === 'choices') return [field.name, asList(value)];
      if (Array.isArray(value)) return [field.name, value.join(', ')];
      if (field.kind === 'dateTime' && typeof value === 'string')
        return [field.name, value.replace(/(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, '')];
      return [
        field.name,
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : '',
      ];
    }),
  );
}

const pathOf = (field: string) =>
  field
    .split('.')
    .filter((segment) => !/^\d+$/.test(segment))
    .join('.');

/** The API's field errors by form field (list positions dropped); errors about a whole group go to its section. */
export function errorsByField(errors: { field: string; message: string }[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) {
    const path = pathOf(error.field);
    byField[path] = byField[path] ? `${byField[path]} ${error.message}` : error.message;
  }
  return byField;
}

/** The error summary: each message linked to its field (or its section's first field). */
export function errorLinks(errors: { field: string; message: string }[]) {
  return errors.map((error) => {
    const path = pathOf(error.field);
    const target =
      FIELDS.find((field) => field.name === path) ??
      SECTIONS.find((section) => section.name === path)?.fields[0] ??
      FIELDS.find((field) => field.name.startsWith(`${path}.`));
    return { message: error.message, anchor: target ? fieldId(target.name) : 'main' };
  });
}

/** The form as templates render it: sections with labels in the page's language, provinces by their names in it. */
export function formLayout(language: Language, provinceNames: Readonly<Record<string, string>> = {}) {
  const label = (name: string) => REFERRAL_FIELDS.labels[name]?.[language] ?? name;
  return SECTIONS.map((section) => ({
    name: section.name,
    legend: label(section.name),
    fields: section.fields.map((field) => ({
      ...field,
      id: fieldId(field.name),
      inputType: INPUT_TYPES[field.kind] ?? 'text',
      label: label(field.name),
      options: field.options?.map((code) => ({
        code,
        label:
          field.name === 'found.provinceCode'
            ? `${provinceNames[code] ?? PROVINCES[code] ?? code} (${code})`
            : (CODE_WORDS[code]?.[language] ?? code),
      })),
    })),
  }));
}
