import { Kafka, logLevel } from 'kafkajs';
import { consumerGroupLag } from '@nrm/messaging';

export interface TappedMessage {
  topic: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** Reads every message on the given topics from the beginning, for assertions about what crossed the broker. */
export async function readAllMessages(
  brokers: string,
  topics: string[],
  settleMs = 1_500,
): Promise<TappedMessage[]> {
  const kafka = new Kafka({ clientId: 'test-tap', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `test-tap-${Date.now()}`, maxWaitTimeInMs: 200 });
  const messages: TappedMessage[] = [];
  let lastSeen = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, message }) => {
      lastSeen = Date.now();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
      messages.push({
        topic,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? '',
        headers,
      });
      return Promise.resolve();
    },
  });
  const started = Date.now();
  while (Date.now() - lastSeen < settleMs || Date.now() - started < settleMs * 2) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await consumer.disconnect();
  return messages;
}

export async function produceRaw(
  brokers: string,
  topic: string,
  messages: { key: string; value: string; headers?: Record<string, string> }[],
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'test-producer',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
}

/** Messages the consumer group has yet to process on these topics, by the offsets it committed. */
export async function committedLag(brokers: string, groupId: string, topics: string[]): Promise<number> {
  const kafka = new Kafka({ clientId: 'test-lag', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lags = await consumerGroupLag(admin, groupId, topics);
    return lags.reduce((sum, lag) => sum + lag.messages, 0);
  } finally {
    await admin.disconnect();
  }
}
