import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ConsoleSession, SessionRequest } from './console-session';

/** The signed-in person's session, on a page the access guard let through. */
export const CurrentSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ConsoleSession => {
    const session = context.switchToHttp().getRequest<SessionRequest>().consoleSession;
    if (!session) throw new Error('CurrentSession used on an open page');
    return session;
  },
);
