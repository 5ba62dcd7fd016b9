import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { defineEvent } from '../contract';
import { PROVINCE_CODES } from '../reference/provinces';
import { Streams } from '../streams';

const STATE_CODE = /^[a-z_]{2,40}$/;

export class CaseOpenedPayload {
  @IsUUID()
  caseId!: string;

  @IsIn(PROVINCE_CODES)
  provinceCode!: string;
}

export const CaseOpened = defineEvent({
  type: 'case.opened',
  version: 1,
  stream: Streams.provincialCase,
  payload: CaseOpenedPayload,
});

/**
 * A step of the case lifecycle (libs/case-lifecycle). The free-text reason
 * stays in the province service: it may name people.
 */
/** One step of a state machine: the event and the states before and after. */
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
