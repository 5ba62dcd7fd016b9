import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { ACCOUNT_ID_PATTERN, Actor, ACTOR_ROLES, ActorRole } from '@nrm/contracts';
import { invalidFields } from './invalid-fields';

/**
 * Who is making the request: `x-actor-id`, `x-actor-role` and optional
 * `x-actor-organisation` headers. A stand-in until bearer tokens (OIDC) carry
 * these claims; every state change records them.
 */
function actorOf(request: Request): Actor | undefined {
  const id = request.header('x-actor-id');
  const role = request.header('x-actor-role');
  const organisation = request.header('x-actor-organisation');
  if (id === undefined && role === undefined && organisation === undefined) return undefined;
  const problems: { field: string; constraints: string[] }[] = [];
  if (!id || !ACCOUNT_ID_PATTERN.test(id))
    problems.push({ field: 'header:x-actor-id', constraints: ['isAccountId'] });
  if (!role || !(ACTOR_ROLES as readonly string[]).includes(role)) {
    problems.push({ field: 'header:x-actor-role', constraints: ['isIn'] });
  }
  if (organisation !== undefined && !ACCOUNT_ID_PATTERN.test(organisation)) {
    problems.push({ field: 'header:x-actor-organisation', constraints: ['isAccountId'] });
  }
  if (problems.length > 0) {
    throw invalidFields(problems, 'Who is acting must be known');
  }
  return {
    id: id as string,
    role: role as ActorRole,
    ...(organisation ? { organisationId: organisation } : {}),
  };
}

export const RequestActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = actorOf(context.switchToHttp().getRequest<Request>());
  if (!actor) {
    throw invalidFields(
      [
        { field: 'header:x-actor-id', constraints: ['isAccountId'] },
        { field: 'header:x-actor-role', constraints: ['isIn'] },
      ],
      'Who is acting must be known',
    );
  }
  return actor;
});

/** The actor when the request names one; endpoints that also serve anonymous callers record the system. */
export const OptionalRequestActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor | undefined =>
    actorOf(context.switchToHttp().getRequest<Request>()),
);

/** Documents the actor headers on an endpoint. */
export const ApiActorHeaders = (): MethodDecorator =>
  applyDecorators(
    ApiHeader({ name: 'x-actor-id', required: true, description: 'Account id of the person acting' }),
    ApiHeader({ name: 'x-actor-role', required: true, enum: ACTOR_ROLES }),
    ApiHeader({ name: 'x-actor-organisation', required: false }),
  );
