import { Logger } from '@nestjs/common';
import { Kafka, KafkaConfig, logLevel, LogEntry, Partitioners, ProducerConfig } from 'kafkajs';
import { PlatformSettings } from '@nrm/config';

const logger = new Logger('Kafka');

/** kafkajs logs through the service's logger (JSON), at warning level and above. */
function kafkaLogCreator() {
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const line = { message, broker: extra.broker as unknown, groupId: extra.groupId as unknown };
    if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
  };
}

export function kafkaClientConfig(settings: PlatformSettings, role: string): KafkaConfig {
  return {
    clientId: `${settings.kafkaClientId}-${role}`,
    brokers: settings.kafkaBrokers,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator,
  };
}

export function createKafka(settings: PlatformSettings, role: string): Kafka {
  return new Kafka(kafkaClientConfig(settings, role));
}

/**
 * What every producer of the services shares: topics exist before anything is
 * sent (the dev broker and deployments create them), and the partitioner is
 * named, so that kafkajs does not warn at every start that its v2 default changed.
 */
export const PRODUCER_DEFAULTS: ProducerConfig = {
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
};
