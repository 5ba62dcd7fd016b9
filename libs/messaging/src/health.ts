import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Observable } from 'rxjs';
import { DependencyCheck } from '@nrm/observability';
import { SqlExecutor } from '@nrm/persistence';
import { OutboxRelay } from './outbox.relay';
import { TRANSACTION_RUNNER } from './tokens';

/**
 * Follows the Kafka consumer's status. A consumer that crashed for good leaves
 * the process up but idle: the health check must say so.
 */
@Injectable()
export class ConsumerStatus {
  private current = 'starting';

  follow(status: Observable<unknown>): void {
    status.subscribe((value) => {
      this.current = String(value);
    });
  }

  get value(): string {
    return this.current;
  }
}

@Injectable()
export class KafkaCheck implements DependencyCheck {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly consumer: ConsumerStatus,
    private readonly relay: OutboxRelay,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    const session = this.indicator.check('kafka');
    const relay = this.relay.status();
    const details = { consumer: this.consumer.value, relayLeader: relay.leader, relayError: relay.lastError };
    const healthy = ['connected', 'rebalancing'].includes(this.consumer.value) && relay.lastError === null;
    return Promise.resolve(healthy ? session.up(details) : session.down(details));
  }
}

@Injectable()
export class DatabaseCheck implements DependencyCheck {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(TRANSACTION_RUNNER) private readonly db: SqlExecutor,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicator.check('postgresql');
    try {
      await this.db.$queryRawUnsafe('SELECT 1');
      return session.up();
    } catch (error) {
      return session.down({ error: error instanceof Error ? error.message : String(error) });
    }
  }
}
