import { Logger } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  Registry,
} from 'prom-client';

const SCRAPE_QUERY_TIMEOUT_MS = 3_000;

/**
 * The service's Prometheus registry. Each library declares its own metrics
 * here; labels carry codes, names and outcomes, never a case id or anything
 * that could identify a person. One per service process, provided by MetricsModule.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly logger = new Logger(Metrics.name);

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(configuration: CounterConfiguration<L>): Counter<L> {
    return new Counter({ ...configuration, registers: [this.registry] });
  }

  histogram<L extends string>(configuration: HistogramConfiguration<L>): Histogram<L> {
    return new Histogram({ ...configuration, registers: [this.registry] });
  }

  /**
   * A gauge whose values are measured when Prometheus scrapes, by `measure`
   * (which sets them). Label sets measured before and gone now are dropped; a
   * measurement that fails or hangs leaves the gauge empty for that scrape.
   */
  gaugeOnScrape<L extends string>(
    configuration: Omit<GaugeConfiguration<L>, 'collect'>,
    measure: (gauge: Gauge<L>) => Promise<void>,
  ): Gauge<L> {
    const logger = this.logger;
    return new Gauge<L>({
      ...configuration,
      registers: [this.registry],
      async collect() {
        this.reset();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), SCRAPE_QUERY_TIMEOUT_MS);
        });
        try {
          await Promise.race([measure(this), timeout]);
        } catch (error) {
          this.reset();
          logger.warn({
            message: 'A metric could not be measured',
            metric: configuration.name,
            error: String(error),
          });
        } finally {
          clearTimeout(timer);
        }
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
