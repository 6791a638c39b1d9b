import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaError } from '../../errors.js';
import { CorruptCheckpointError, writeFileAtomically } from '../checkpoint/checkpoint-file.js';

export const PARTITION_METADATA_FILE = 'partition.metadata';

const VERSION = 0;
/** Kafka's Uuid.toString: URL-safe base64 of the 16 bytes, unpadded. */
const TOPIC_ID = /^[A-Za-z0-9_-]{22}$/;
/** `key: value`, as Kafka splits it (a colon, then at least one whitespace). */
const LINE = /^([^:]*):\s+(.*)$/;

/**
 * `partition.metadata` in a partition directory: which topic, by id, the directory
 * belongs to (Kafka's PartitionMetadataFile), so that a broker finding `orders-0` can tell
 * a leftover of a deleted `orders` from the live topic of the same name. Text:
 *
 *   version: 0
 *   topic_id: <22-character base64url topic id>
 *
 * Written once, when the broker first hosts the partition (atomically, and synced unless
 * the caller knows the directory is new: see LogDirs.claimPartition); never changed
 * afterwards, since a topic id never changes.
 */
export function writePartitionMetadata(dir: string, topicId: string, sync = true): void {
  if (!isTopicId(topicId)) throw new RangeError(`${JSON.stringify(topicId)} is not a topic id (22 base64url characters, not all zero)`);
  const path = join(dir, PARTITION_METADATA_FILE);
  let existing: string | undefined;
  try {
    existing = readPartitionMetadata(dir);
  } catch (err) {
    // An unreadable file holds no id to protect; the rewrite replaces it.
    if (!(err instanceof CorruptCheckpointError)) throw err;
  }
  if (existing === topicId) return;
  if (existing !== undefined) {
    throw new KafkaError('INCONSISTENT_TOPIC_ID', `${path} names topic id ${existing}, not ${topicId}: the directory belongs to another incarnation of the topic`);
  }
  writeFileAtomically(path, `version: ${VERSION}\ntopic_id: ${topicId}\n`, sync);
}

/**
 * The topic id recorded in `dir`, or undefined when there is no `partition.metadata`
 * (a directory older than topic ids, or one whose first write did not complete). Throws
 * CorruptCheckpointError when the file is malformed. A version above 0 is accepted, as
 * Kafka does, so a newer writer's file still names its topic.
 */
export function readPartitionMetadata(dir: string): string | undefined {
  const path = join(dir, PARTITION_METADATA_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const lines = text.split('\n');
  const version = LINE.exec(lines[0]!);
  if (version?.[1] !== 'version' || !/^\d+$/.test(version[2]!)) throw new CorruptCheckpointError(path, `malformed version line ${JSON.stringify(lines[0])}`);
  const topicId = lines.length > 1 ? LINE.exec(lines[1]!) : null;
  if (topicId?.[1] !== 'topic_id' || !isTopicId(topicId[2]!)) throw new CorruptCheckpointError(path, `malformed topic_id line ${JSON.stringify(lines[1] ?? '')}`);
  return topicId[2];
}

/** A canonical, non-zero Kafka Uuid string. */
function isTopicId(text: string): boolean {
  if (!TOPIC_ID.test(text)) return false;
  const bytes = Buffer.from(text, 'base64url');
  // 22 characters carry 132 bits: the last 4 must be zero for the text to be canonical.
  return bytes.length === 16 && bytes.toString('base64url') === text && bytes.some((b) => b !== 0);
}
