import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Actor } from '@nrm/contracts';
import type { AuthenticatedRequest } from './access.guard';

/** Who is making the request, from their verified token. */
export const RequestActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('RequestActor used on an endpoint the access guard did not authenticate');
  return actor;
});
