import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Actor } from '@nrm/contracts';
import { UnacceptableClaims } from './claims';
import { Permission, PERMISSION_KEY, PUBLIC_KEY, roleMay } from './permissions';
import { KeySetUnavailable, TokenVerifier } from './token-verifier';

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
}

/**
 * Every HTTP request but the health check needs a valid bearer token, and its
 * role must hold the endpoint's permission. Events never reach it: the Kafka
 * consumer does not inherit the app's guards, and only the services reach Kafka.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = await this.authenticate(request, context.switchToHttp().getResponse<Response>());
    request.actor = actor;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (!permission || !roleMay(actor.role, permission)) {
      this.logger.warn({
        message: 'Access denied',
        actorId: actor.id,
        role: actor.role,
        method: request.method,
        route: (request.route as { path?: string } | undefined)?.path,
      });
      throw new ForbiddenException('Your role may not do this');
    }
    return true;
  }

  private async authenticate(request: Request, response: Response): Promise<Actor> {
    const [scheme, token] = (request.header('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('A bearer token is required');
    }
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof KeySetUnavailable) {
        this.logger.error({ message: 'Cannot fetch the identity provider keys', error: error.message });
        throw new ServiceUnavailableException('Sign-in cannot be checked right now');
      }
      const detail = error instanceof UnacceptableClaims ? `claim ${error.message}` : 'invalid_token';
      response.setHeader('WWW-Authenticate', `Bearer error="invalid_token"`);
      throw new UnauthorizedException(`The bearer token is not accepted (${detail})`);
    }
  }
}
