import {
  CanActivate,
  Controller,
  DynamicModule,
  ExecutionContext,
  Get,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestMiddleware,
  NestModule,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '@nrm/auth';
import { PlatformSettings } from '@nrm/config';
import { Metrics } from './metrics';

/** Requests with no route of their own (404s, static documentation) share one label value. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Every HTTP request by method, route template (never the URL itself, which
 * carries ids) and status.
 */
@Injectable()
class HttpMetrics {
  readonly requests;
  readonly duration;

  constructor(metrics: Metrics) {
    const labelNames = ['method', 'route', 'status'] as const;
    this.requests = metrics.counter({
      name: 'nrm_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames,
    });
    this.duration = metrics.histogram({
      name: 'nrm_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route template and status',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }
}

/** Counts and times each request once it is answered, when its route is known. */
@Injectable()
class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly http: HttpMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const labels = {
        method: request.method,
        route: (request.route as { path?: string } | undefined)?.path ?? UNMATCHED_ROUTE,
        status: String(response.statusCode),
      };
      this.http.requests.inc(labels);
      this.http.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Only Prometheus, presenting METRICS_TOKEN as its bearer token, may scrape. */
@Injectable()
class ScrapeTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(settings: PlatformSettings) {
    this.expected = digest(settings.metricsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const [scheme, token] = (request.header('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() === 'bearer' && token && timingSafeEqual(digest(token), this.expected))
      return true;
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
    throw new UnauthorizedException('The scrape token is required');
  }
}

/**
 * `GET /metrics` in Prometheus' text format. Not a person's endpoint: it is
 * outside the role permissions (like /health) and needs the scrape token instead.
 */
@ApiTags('operations')
@Controller('metrics')
class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Public()
  @UseGuards(ScrapeTokenGuard)
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics; needs `Authorization: Bearer <METRICS_TOKEN>`' })
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.setHeader('Content-Type', this.metrics.contentType);
    return this.metrics.text();
  }
}

/** The service's metrics registry (for every library to add to), HTTP metrics and `GET /metrics`. */
@Module({})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }

  static forService(service: string): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [{ provide: Metrics, useValue: new Metrics(service) }, HttpMetrics, ScrapeTokenGuard],
      exports: [Metrics],
    };
  }
}
