import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { correlationIdOf, currentCorrelationId } from './correlation';
import { CorrelationMiddleware } from './correlation.middleware';
import { currentService } from './service-scope';

/**
 * Paths never written to a log, whatever a developer passes in: the request
 * body is not logged at all, these are a second line of defence.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.identity',
  '*.narrative',
  '*.name',
  '*.fullName',
  '*.dateOfBirth',
  '*.documentNumber',
  '*.phone',
  '*.address',
];

/** Structured JSON logs (pino) with the service name and the correlation id on every line. */
@Module({})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationMiddleware).forRoutes('*path');
  }

  static forService(service: string, level = process.env.LOG_LEVEL ?? 'info'): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level,
            base: null,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            mixin: () => {
              const correlationId = currentCorrelationId();
              return { service: currentService() ?? service, ...(correlationId ? { correlationId } : {}) };
            },
            genReqId: (request) => correlationIdOf(request),
            serializers: {
              req: (request: { id: unknown; method: string; url: string }) => ({
                id: request.id,
                method: request.method,
                url: request.url,
              }),
              res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
            },
            autoLogging: { ignore: (request) => request.url === '/health' || request.url === '/metrics' },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
