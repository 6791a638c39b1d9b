/**
 * Which `__consumer_offsets` partition holds a group, exactly as Kafka computes it
 * (GroupMetadataManager.partitionFor): `Utils.abs(groupId.hashCode()) % partitionCount`.
 * The same group must land on the same partition in Weir and in Kafka, so that tools that
 * read the topic, and clients that cache coordinators per partition, agree.
 */

/**
 * Java's String.hashCode: `s[0]*31^(n-1) + ... + s[n-1]` in int32 arithmetic over UTF-16
 * code units (so a character outside the BMP counts as its two surrogates, which is what
 * JavaScript strings hold too).
 */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Kafka's Utils.abs: Math.abs, except that int min (whose absolute value int32 cannot hold)
 * becomes 0. Not the sign-bit mask (Utils.toPositive) the producer's partitioner uses: the
 * two differ for every other negative hash.
 */
export function kafkaAbs(n: number): number {
  return n === -0x80000000 ? 0 : Math.abs(n);
}

export function partitionForGroup(groupId: string, partitionCount: number): number {
  if (!Number.isInteger(partitionCount) || partitionCount < 1) throw new RangeError(`partition count ${partitionCount} (must be a positive integer)`);
  return kafkaAbs(javaStringHashCode(groupId)) % partitionCount;
}
