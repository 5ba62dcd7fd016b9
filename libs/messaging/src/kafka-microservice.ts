import { CustomStrategy, KafkaOptions } from '@nestjs/microservices';
import { PlatformSettings } from '@nrm/config';
import { BatchingKafkaServer } from './batching-kafka-server';
import { kafkaClientConfig, PRODUCER_DEFAULTS } from './kafka-client';

/**
 * The consumer side of a service: the NestJS Kafka transport, handing over
 * fetched batches (`BatchingKafkaServer`), one consumer group per service.
 * Group and client ids are used exactly as given (`postfixId: ''`), so
 * operators see `nrm-routing`, not `nrm-routing-server`.
 */
export function kafkaConsumerOptions(settings: PlatformSettings): CustomStrategy {
  return { strategy: new BatchingKafkaServer(kafkaServerOptions(settings)) };
}

export function kafkaServerOptions(settings: PlatformSettings): Required<KafkaOptions>['options'] {
  return {
    postfixId: '',
    client: kafkaClientConfig(settings, 'consumer'),
    consumer: {
      groupId: settings.kafkaGroupId,
      sessionTimeout: settings.kafkaSessionTimeoutMs,
      heartbeatInterval: Math.floor(settings.kafkaSessionTimeoutMs / 10),
      allowAutoTopicCreation: false,
      // Short fetch waits keep a case moving through four services in well under a second.
      maxWaitTimeInMs: 200,
      retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 10 },
    },
    subscribe: { fromBeginning: true },
    // Values stay bytes: the inbox consumer parses each message itself, once (`ReceivedMessage`).
    parser: { keepBinary: true },
    run: {
      partitionsConsumedConcurrently: settings.consumerPartitionsConcurrently,
      // One offset commit a second instead of one per batch: the inbox drops what a restart
      // delivers again, and a stopping consumer still commits what it handled (patches/kafkajs).
      autoCommitInterval: 1_000,
    },
    producer: PRODUCER_DEFAULTS,
  };
}
