import { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  messages: number;
}

/**
 * Messages a consumer group has yet to process on each partition of these
 * topics: the partition's high watermark minus the group's committed offset
 * (or minus the earliest offset, before the group has committed any).
 */
export async function consumerGroupLag(
  admin: Admin,
  groupId: string,
  topics: string[],
): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  const lags: PartitionLag[] = [];
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const offsets = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const commit = Number(offsets.find((entry) => entry.partition === end.partition)?.offset ?? -1);
      const position = commit >= 0 ? commit : Number(end.low);
      lags.push({ topic, partition: end.partition, messages: Math.max(0, Number(end.high) - position) });
    }
  }
  return lags;
}
