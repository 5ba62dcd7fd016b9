import { Backends } from '../backends/backends';
import { ConsoleSession } from '../session/console-session';

/** A transition as the province records it. */
export interface Step {
  event: string;
  from: string | null;
  to: string;
  track?: string;
  actor: { id: string; role: string; organisationId: string | null };
  reason: string | null;
  occurredAt: string;
}

export interface Deadline {
  id: string;
  kind: string;
  subjectId: string;
  dueAt: string;
  status: string;
}

export interface ServiceReferralView {
  id: string;
  service: string;
  organisationId: string;
  state: string;
  createdAt: string;
  history: Step[];
}

export interface Escalation {
  id: string;
  reason: string;
  deadlineKind: string | null;
  service: string | null;
  raisedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export interface FollowUpVisit {
  id: string;
  sequence: number;
  dueAt: string;
  visitedOn: string | null;
  outcome: string | null;
}

export interface HoldExtension {
  id: string;
  courtOrderReference: string;
  extraDays: number;
  recordedBy: string;
  recordedAt: string;
}

/** The province's case, as much of it as the caller may see. */
export interface CaseView {
  id: string;
  provinceCode: string;
  state: string;
  legalState: string;
  transferTo: string | null;
  urgency: string;
  riskGroup: string | null;
  caseManagerId: string | null;
  openedAt: string;
  escalatedAt: string | null;
  deadlines: Deadline[];
  serviceReferrals: ServiceReferralView[];
  mdtMembers: { userId: string; organisationId: string; role: string }[];
  history: Step[];
  /** For the province's staff and supervisors. */
  escalations?: Escalation[];
  followUpVisits?: FollowUpVisit[];
  holdExtensions?: HoldExtension[];
  /** For an organisation member: only the facts its services need. */
  facts?: unknown;
}

export interface CaseListItem {
  id: string;
  provinceCode: string;
  state: string;
  transferTo: string | null;
  urgency: string;
  riskGroup: string | null;
  openedAt: string;
  escalatedAt: string | null;
}

export const CASE_PAGE_SIZE = 100;

/** Nested facts or explanations as lines a person can read: each value by its name. */
export function readableLines(value: unknown, prefix = ''): { name: string; value: string }[] {
  if (value === null || typeof value !== 'object')
    return [
      {
        name: prefix,
        value:
          value === null || value === undefined
            ? '—'
            : typeof value === 'string'
              ? value
              : JSON.stringify(value),
      },
    ];
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object'))
    return [{ name: prefix, value: value.join(', ') }];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
    readableLines(inner, prefix ? `${prefix} › ${key}` : key),
  );
}

/** The cases the caller may see, newest first, each in full (a queue is small; the province pages beyond it). */
export async function visibleCases(
  backends: Backends,
  session: ConsoleSession,
  filter = '',
): Promise<CaseView[]> {
  const { items } = await backends.get<{ items: CaseListItem[] }>(
    session,
    'province',
    `/cases?limit=${CASE_PAGE_SIZE}${filter}`,
  );
  return Promise.all(items.map((item) => backends.get<CaseView>(session, 'province', `/cases/${item.id}`)));
}
