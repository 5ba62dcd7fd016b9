import 'reflect-metadata';
import { Kafka, logLevel } from 'kafkajs';
import { allTopics } from '@nrm/contracts';

/**
 * Creates every declared topic on an Apache Kafka cluster (KAFKA_BROKERS).
 * The dev broker creates them itself: the librdkafka mock cluster does not
 * support kafkajs's admin API.
 */
async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const replicationFactor = Number(process.env.KAFKA_REPLICATION_FACTOR ?? 1);
  const admin = new Kafka({ clientId: 'nrm-topics', brokers, logLevel: logLevel.WARN }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = allTopics().filter((topic) => !existing.has(topic.name));
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor,
      })),
    });
    console.log(`Topics created: ${missing.map((topic) => topic.name).join(', ') || 'none missing'}`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
