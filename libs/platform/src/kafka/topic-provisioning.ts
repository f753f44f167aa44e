import type { Admin } from 'kafkajs';

export interface TopicLayout {
  readonly numPartitions: number;
  readonly replicationFactor: number;
}

/**
 * Creates `names` where missing and waits until every partition has a leader. Services boot
 * together and create the same topics at once, and a broker that has just created a topic
 * answers "does not host this topic-partition" for a moment, so any failure is retried until
 * `timeoutMs`; readiness is read from metadata rather than trusted to the create call (its own
 * leader wait throws on that transient answer instead of retrying).
 */
export async function provisionTopics(
  admin: Admin,
  names: readonly string[],
  layout: TopicLayout,
  warn: (message: string) => void,
  timeoutMs = 60_000,
): Promise<void> {
  if (names.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.createTopics({ waitForLeaders: false, topics: names.map((topic) => ({ topic, ...layout })) });
      const metadata = await admin.fetchTopicMetadata({ topics: [...names] });
      const leaderless = metadata.topics.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (leaderless.length === 0) return;
      throw new Error(`no leader yet for ${leaderless.map((t) => t.name).join(', ')}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      warn(`topic provisioning attempt ${attempt} failed (${(error as Error).message}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(200 * attempt, 2_000)));
    }
  }
}
