import { ConfigService } from '@nestjs/config';
import { Admin, Consumer, Kafka, logLevel } from 'kafkajs';
import { PlatformSettings } from '@nrm/config';
import { DevBroker, startDevBroker } from '../../../tools/kafka-dev-broker/dev-broker';
import { BatchingKafkaServer } from './batching-kafka-server';
import { consumerGroupLag } from './consumer-lag';
import { kafkaServerOptions } from './kafka-microservice';

const topic = 'offset.commit.test';
const partitions = 2;

/** The services' consumer, with its kafkajs consumer in view to count batches and commits. */
class ObservedServer extends BatchingKafkaServer {
  get kafkaConsumer(): Consumer {
    if (!this.consumer) throw new Error('not listening');
    return this.consumer;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('offset commits of the services’ consumer', () => {
  let broker: DevBroker;
  let kafka: Kafka;
  let admin: Admin;
  let groupSequence = 0;

  beforeAll(async () => {
    broker = await startDevBroker({ topics: [{ name: topic, partitions }], brokers: 1 });
    kafka = new Kafka({
      clientId: 'offset-commit-test',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    await broker.stop();
  });

  async function produce(count: number, keyPrefix: string): Promise<void> {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    for (let sent = 0; sent < count; sent += 5) {
      const messages = Array.from({ length: 5 }, (_, index) => ({
        key: `${keyPrefix}-${sent + index}`,
        value: JSON.stringify({ n: sent + index }),
      }));
      await producer.send({ topic, acks: -1, messages });
      // Spread out, so that the consumer fetches many small batches, as under a steady flow.
      await sleep(40);
    }
    await producer.disconnect();
  }

  async function committedLag(groupId: string): Promise<number> {
    const lags = await consumerGroupLag(admin, groupId, [topic]);
    return lags.reduce((sum, lag) => sum + lag.messages, 0);
  }

  async function listeningServer(onMessage: () => void) {
    groupSequence += 1;
    const groupPrefix = `offset-commit-${process.pid}-${groupSequence}`;
    const settings = new PlatformSettings(
      new ConfigService({
        KAFKA_BROKERS: broker.bootstrap,
        KAFKA_GROUP_PREFIX: groupPrefix,
        KAFKA_SESSION_TIMEOUT_MS: 10_000,
        CONSUMER_PARTITIONS_CONCURRENTLY: partitions,
      }),
      'routing',
    );
    const server = new ObservedServer(kafkaServerOptions(settings));
    server.addHandler(
      topic,
      () => {
        onMessage();
        return Promise.resolve();
      },
      true,
    );
    let listenError: unknown;
    await server.listen((error) => (listenError = error));
    expect(listenError).toBeUndefined();
    const counts = { batches: 0, commits: 0 };
    const consumer = server.kafkaConsumer;
    consumer.on(consumer.events.END_BATCH_PROCESS, () => (counts.batches += 1));
    consumer.on(consumer.events.COMMIT_OFFSETS, () => (counts.commits += 1));
    return { server, groupId: settings.kafkaGroupId, counts };
  }

  it('commits once an interval under a steady flow, and everything handled after a quiet spell', async () => {
    let handled = 0;
    const { server, groupId, counts } = await listeningServer(() => (handled += 1));
    const flowStarted = Date.now();
    await produce(200, 'steady');
    const flowSeconds = (Date.now() - flowStarted) / 1_000;
    const batchesDuringFlow = counts.batches;
    const commitsDuringFlow = counts.commits;
    const quietSince = Date.now();
    while ((await committedLag(groupId)) > 0 && Date.now() - quietSince < 10_000) await sleep(200);
    const lagAfterQuiet = await committedLag(groupId);
    await server.close();

    expect(handled).toBe(200);
    // A commit per batch would make these equal.
    expect(batchesDuringFlow).toBeGreaterThan(2 * commitsDuringFlow);
    expect(commitsDuringFlow).toBeLessThanOrEqual(Math.ceil(flowSeconds) + 1);
    // Nothing more arrives, yet the idle fetches commit what was handled: lag falls to zero.
    expect(lagAfterQuiet).toBe(0);
  });

  it('commits what it handled when it stops, so that a restart delivers nothing again', async () => {
    const { server: first, groupId } = await listeningServer(() => undefined);
    await sleep(1_500);
    await produce(20, 'before-stop');
    await sleep(300);
    await first.close();
    expect(await committedLag(groupId)).toBe(0);
  });
});
