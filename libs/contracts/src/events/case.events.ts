import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
} from 'class-validator';
import { defineEvent } from '../contract';
import { ACCOUNT_ID_PATTERN } from '../reference/identifiers';
import { PROVINCE_CODES } from '../reference/provinces';
import { RISK_GROUPS, SERVICES, URGENCY_CLASSES } from '../reference/services';
import { Streams } from '../streams';

const STATE_CODE = /^[a-z_]{2,40}$/;

const DEADLINE_KIND = /^[a-z0-9-]{2,60}$/;

export class CaseOpenedPayload {
  @IsUUID()
  caseId!: string;

  @IsIn(PROVINCE_CODES)
  provinceCode!: string;

  @IsIn(URGENCY_CLASSES)
  urgency!: string;

  @IsIn(RISK_GROUPS)
  riskGroup!: string;
}

export const CaseOpened = defineEvent({
  type: 'case.opened',
  version: 1,
  stream: Streams.provincialCase,
  payload: CaseOpenedPayload,
});

/**
 * One step of a state machine (libs/case-lifecycle): the event and the states
 * before and after. The free-text reason stays in the province service: it may
 * name people.
 */
class TransitionStep {
  @IsUUID()
  caseId!: string;

  @Matches(STATE_CODE)
  event!: string;

  @Matches(STATE_CODE)
  from!: string;

  @Matches(STATE_CODE)
  to!: string;
}

export class CaseTransitionedPayload extends TransitionStep {
  @IsIn(['case', 'legal'])
  track!: string;

  /** The province responsible after the step (a transfer moves it). */
  @IsIn(PROVINCE_CODES)
  provinceCode!: string;

  @IsOptional()
  @IsIn(PROVINCE_CODES)
  transferTo?: string;
}

export const CaseTransitioned = defineEvent({
  type: 'case.transitioned',
  version: 1,
  stream: Streams.provincialCase,
  payload: CaseTransitionedPayload,
});

export class ServiceReferralTransitionedPayload extends TransitionStep {
  @IsUUID()
  serviceReferralId!: string;

  /** The province responsible for the case. */
  @IsIn(PROVINCE_CODES)
  provinceCode!: string;

  @IsString()
  @Length(2, 60)
  service!: string;

  @IsString()
  @Length(2, 100)
  organisationId!: string;

  /** What allowed sharing the case: the person's consent, a child's best-interest decision, or a logged override. */
  @IsIn(['consent', 'best-interest', 'override'])
  consentBasis!: string;
}

export const ServiceReferralTransitioned = defineEvent({
  type: 'service-referral.transitioned',
  version: 1,
  stream: Streams.provincialCase,
  payload: ServiceReferralTransitionedPayload,
});

export const DEADLINE_STATUSES = ['pending', 'met', 'breached', 'cancelled'] as const;

/** A deadline of the case was set, moved (a court extended a hold), met, breached or cancelled. */
export class CaseDeadlineUpdatedPayload {
  @IsUUID()
  caseId!: string;

  @IsUUID()
  deadlineId!: string;

  @Matches(DEADLINE_KIND)
  kind!: string;

  /** The case itself, or the offer or visit the deadline is about. */
  @IsUUID()
  subjectId!: string;

  @IsISO8601({ strict: true })
  dueAt!: string;

  @IsIn(DEADLINE_STATUSES)
  status!: string;

  @IsIn(PROVINCE_CODES)
  provinceCode!: string;
}

export const CaseDeadlineUpdated = defineEvent({
  type: 'case.deadline-updated',
  version: 1,
  stream: Streams.provincialCase,
  payload: CaseDeadlineUpdatedPayload,
});

export const ESCALATION_REASONS = ['deadline-breached', 'no-provider'] as const;

/** Something on the case needs the province's and the supervisors' attention. */
export class CaseEscalatedPayload {
  @IsUUID()
  caseId!: string;

  @IsUUID()
  escalationId!: string;

  @IsIn(ESCALATION_REASONS)
  reason!: string;

  @IsIn(PROVINCE_CODES)
  provinceCode!: string;

  @IsOptional()
  @Matches(DEADLINE_KIND)
  deadlineKind?: string;

  @IsOptional()
  @IsIn(SERVICES)
  service?: string;
}

export const CaseEscalated = defineEvent({
  type: 'case.escalated',
  version: 1,
  stream: Streams.provincialCase,
  payload: CaseEscalatedPayload,
});

export class CaseEscalationResolvedPayload {
  @IsUUID()
  caseId!: string;

  @IsUUID()
  escalationId!: string;

  @IsIn(PROVINCE_CODES)
  provinceCode!: string;
}

export const CaseEscalationResolved = defineEvent({
  type: 'case.escalation-resolved',
  version: 1,
  stream: Streams.provincialCase,
  payload: CaseEscalationResolvedPayload,
});

/** Who manages the case and who sits on its multidisciplinary team: account ids only. */
export class CaseAssignedPayload {
  @IsUUID()
  caseId!: string;

  @IsIn(PROVINCE_CODES)
  provinceCode!: string;

  @Matches(ACCOUNT_ID_PATTERN)
  caseManagerId!: string;

  @IsArray()
  @ArrayMaxSize(50)
  @Matches(ACCOUNT_ID_PATTERN, { each: true })
  mdtMemberIds!: string[];
}

export const CaseAssigned = defineEvent({
  type: 'case.assigned',
  version: 1,
  stream: Streams.provincialCase,
  payload: CaseAssignedPayload,
});

export const FOLLOW_UP_OUTCOMES = ['doing-well', 'needs-support', 'at-risk', 'not-reached'] as const;

export class FollowUpVisitRecordedPayload {
  @IsUUID()
  caseId!: string;

  @IsIn(PROVINCE_CODES)
  provinceCode!: string;

  @IsInt()
  @Min(1)
  sequence!: number;

  @IsIn(FOLLOW_UP_OUTCOMES)
  outcome!: string;
}

export const FollowUpVisitRecorded = defineEvent({
  type: 'case.follow-up-visit-recorded',
  version: 1,
  stream: Streams.provincialCase,
  payload: FollowUpVisitRecordedPayload,
});
