import { randomUUID } from 'node:crypto';
import { allTopics, Streams, topicOf } from '@nrm/contracts';
import { CATCH_UP_SERVICES, SERVICE_NAMES, ServiceName } from '@nrm/config';
import { produceRaw } from '../kafka-tap';
import { ChaosSystem } from './chaos-system';

export interface FaultTiming {
  /** How long a killed service stays down before it is started again. */
  restartAfterMs: number;
  /** How long the broker refuses every connection. */
  brokerDownMs: number;
  /** How long Redis and PostgreSQL stay down when restarted. */
  serverDownMs: number;
}

/** One fault: `inject` breaks something and returns once it is mended (the service is back, the broker is up). */
export interface Fault {
  name: string;
  inject(chaos: ChaosSystem): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Messages no consumer can apply: each carries a marker, so its dead letters can be told from any other. */
export function poisonMessages(): { topic: string; key: string; value: string; marker: string }[] {
  const caseId = randomUUID();
  return [Streams.referral, Streams.routing, Streams.provincialCase, Streams.notification].flatMap(
    (stream) => {
      const marker = `poison-${randomUUID()}`;
      const envelope = {
        eventId: randomUUID(),
        type: 'referral.submitted',
        version: 99,
        caseId,
        occurredAt: new Date().toISOString(),
        correlationId: marker,
        causationId: null,
        actor: { id: 'chaos', role: 'system' },
        payload: {},
      };
      return [
        { topic: topicOf(stream), key: caseId, value: `not json ${marker}`, marker },
        { topic: topicOf(stream), key: caseId, value: JSON.stringify(envelope), marker },
      ];
    },
  );
}

export function faults(timing: FaultTiming, poison: ReturnType<typeof poisonMessages>): Fault[] {
  const kill = (services: readonly ServiceName[], name: string): Fault => ({
    name,
    async inject(chaos) {
      await Promise.all(services.map((service) => chaos.system.service(service).stop('SIGKILL')));
      await pause(timing.restartAfterMs);
      await Promise.all(services.map((service) => chaos.system.service(service).start(120_000)));
    },
  });
  const kills = SERVICE_NAMES.map((service) => kill([service], `SIGKILL ${service}`));
  // As apps/catch-up runs them (`npm run up`), the four services behind intake die at one instant.
  const catchUpKill = kill(CATCH_UP_SERVICES, `SIGKILL ${CATCH_UP_SERVICES.join(', ')} at once`);
  const streams = allTopics().filter((topic) => !topic.name.endsWith('.dlq'));
  return [
    ...kills,
    catchUpKill,
    {
      name: `broker down ${timing.brokerDownMs / 1_000} s`,
      async inject(chaos) {
        await chaos.system.devBroker.control('down -1');
        await pause(timing.brokerDownMs);
        await chaos.system.devBroker.control('up -1');
      },
    },
    {
      name: 'broker request errors',
      async inject(chaos) {
        // Produce: REQUEST_TIMED_OUT; Fetch: NOT_LEADER_FOR_PARTITION; OffsetCommit: COORDINATOR_NOT_AVAILABLE.
        for (const command of ['errors 0 20 7', 'errors 1 10 6', 'errors 8 5 15'])
          await chaos.system.devBroker.control(command);
        await pause(timing.restartAfterMs);
      },
    },
    {
      name: 'partition leader change',
      async inject(chaos) {
        for (const [index, topic] of streams.entries())
          for (let partition = 0; partition < topic.partitions; partition += 1)
            await chaos.system.devBroker.control(
              `leader ${topic.name} ${partition} ${((index + partition) % 3) + 1}`,
            );
      },
    },
    {
      name: 'Redis restarted empty',
      inject: (chaos) => chaos.redis.restart(timing.serverDownMs),
    },
    {
      name: 'PostgreSQL restarted',
      inject: (chaos) => chaos.postgres.restart(timing.serverDownMs),
    },
    {
      name: 'poison messages',
      async inject(chaos) {
        for (const message of poison)
          await produceRaw(chaos.system.kafkaBrokers, message.topic, [
            { key: message.key, value: message.value },
          ]);
      },
    },
  ];
}
