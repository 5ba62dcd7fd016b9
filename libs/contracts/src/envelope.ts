import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';

export const ACTOR_ROLES = [
  'system',
  'case-worker',
  'organisation-member',
  'coordinator',
  'supervisor',
  'admin',
  'auditor',
] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** The roles people sign in with; the system acts only through events. */
export const PERSON_ROLES: readonly ActorRole[] = ACTOR_ROLES.filter((role) => role !== 'system');

/** Who caused an event: an account id and role, never a person's name. */
export class Actor {
  @IsString()
  @Length(1, 100)
  id!: string;

  @IsIn(ACTOR_ROLES)
  role!: ActorRole;

  @IsOptional()
  @IsString()
  @Length(1, 100)
  organisationId?: string;

  /** The province a coordinator or case worker works in. */
  @IsOptional()
  @Matches(/^TH-\d{2}$/)
  provinceCode?: string;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system' };

/**
 * The frame around every event on every topic. `caseId` is the Kafka key, so a
 * case's events keep their order; `eventId` is the consumers' inbox key.
 */
export class EventEnvelope<P = unknown> {
  @IsUUID()
  eventId!: string;

  @IsString()
  @Length(3, 100)
  type!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsUUID()
  caseId!: string;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsUUID()
  correlationId!: string;

  @IsOptional()
  @IsUUID()
  causationId?: string;

  @ValidateNested()
  @Type(() => Actor)
  actor!: Actor;

  @IsObject()
  payload!: P;
}

/** Kafka header names; values are strings. */
export const Headers = {
  eventType: 'x-event-type',
  eventVersion: 'x-event-version',
  correlationId: 'x-correlation-id',
  deadLetterReason: 'x-dead-letter-reason',
  deadLetterConsumer: 'x-dead-letter-consumer',
  originalTopic: 'x-original-topic',
} as const;
