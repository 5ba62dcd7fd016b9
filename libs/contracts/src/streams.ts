/**
 * Every Kafka topic in one place. A topic is an entity's stream owned by one
 * service, carrying all of that entity's event types keyed by case id, so one
 * case's events stay in order even across event types. Renaming a topic or
 * changing its partition count needs a migration plan: consumers track offsets
 * per topic.
 */
export interface StreamDefinition {
  readonly name: string;
  readonly partitions: number;
  readonly owner: 'intake' | 'routing' | 'province' | 'notifications';
}

export const Streams = {
  referral: { name: 'nrm.intake.referral.v1', partitions: 6, owner: 'intake' },
  routing: { name: 'nrm.routing.decision.v1', partitions: 6, owner: 'routing' },
  provincialCase: { name: 'nrm.province.case.v1', partitions: 6, owner: 'province' },
  notification: { name: 'nrm.notifications.notification.v1', partitions: 6, owner: 'notifications' },
} as const satisfies Record<string, StreamDefinition>;

export type StreamKey = keyof typeof Streams;

const DEAD_LETTER_SUFFIX = '.dlq';
const DEAD_LETTER_PARTITIONS = 1;

/**
 * Topic names may carry a prefix (KAFKA_TOPIC_PREFIX) so that tests or several
 * environments can share one Kafka cluster without seeing each other's events.
 */
export function topicPrefix(): string {
  return process.env.KAFKA_TOPIC_PREFIX ?? '';
}

export function topicOf(stream: StreamDefinition, prefix = topicPrefix()): string {
  return `${prefix}${stream.name}`;
}

export function deadLetterTopicOf(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

/** Every topic with its partition count, for the broker set-up (dev broker, Kafka provisioning). */
export function allTopics(prefix = topicPrefix()): { name: string; partitions: number }[] {
  return Object.values(Streams).flatMap((stream) => [
    { name: topicOf(stream, prefix), partitions: stream.partitions },
    { name: deadLetterTopicOf(topicOf(stream, prefix)), partitions: DEAD_LETTER_PARTITIONS },
  ]);
}
