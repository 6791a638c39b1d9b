/** The prepared data dir's topics: `scale-<i>`, each of the same partition count (RF 1). */
export const topicName = (i: number): string => `scale-${String(i).padStart(5, '0')}`;

/** Partitions of every prepared topic. */
export const PARTITIONS_PER_TOPIC = 100;
