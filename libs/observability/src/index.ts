export { currentCorrelationId, currentOrNewCorrelationId, withCorrelation } from './correlation';
export { CorrelationMiddleware } from './correlation.middleware';
export { ObservabilityModule, REDACTED_PATHS } from './logging.module';
export { asService } from './service-scope';
export { DEPENDENCY_CHECKS, DependencyCheck, HealthModule } from './health';
export { Metrics } from './metrics';
export { MetricsModule } from './metrics.module';
