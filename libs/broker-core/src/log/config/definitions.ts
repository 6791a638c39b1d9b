/**
 * The per-topic configs Weir understands, under Kafka's names, with Kafka's types,
 * defaults and valid ranges. One table drives parsing, validation and the listing that
 * REST and DescribeConfigs show (default vs override, documentation, sensitivity).
 *
 * Longs are held as JS numbers: every meaningful value fits in 2^53, and Kafka's
 * "never" sentinel (Long.MAX_VALUE) only needs to compare larger than any real value.
 */
export type ConfigType = 'boolean' | 'int' | 'long' | 'double' | 'string' | 'list';

export interface ConfigDef {
  readonly name: string;
  readonly type: ConfigType;
  /** Kafka's default, as Kafka prints it. */
  readonly defaultValue: string;
  /** Inclusive numeric bounds. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for 'string', allowed items for 'list'. */
  readonly validValues?: readonly string[];
  readonly documentation: string;
  readonly sensitive: boolean;
  readonly readOnly: boolean;
}

export const LONG_MAX_STRING = '9223372036854775807';
export const INT_MAX = 2_147_483_647;

const DAY_MS = 24 * 60 * 60 * 1000;

function def(d: Omit<ConfigDef, 'sensitive' | 'readOnly'> & Partial<Pick<ConfigDef, 'sensitive' | 'readOnly'>>): ConfigDef {
  return { sensitive: false, readOnly: false, ...d };
}

export const TOPIC_CONFIG_DEFS: readonly ConfigDef[] = [
  def({
    name: 'cleanup.policy', type: 'list', defaultValue: 'delete', validValues: ['delete', 'compact'],
    documentation: 'How old log segments are reclaimed: "delete" removes whole segments once they pass the retention time or size; "compact" keeps the latest record for each key. Both may be given.',
  }),
  def({
    name: 'compression.type', type: 'string', defaultValue: 'producer',
    validValues: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
    documentation: 'Compression the broker stores batches with. "producer" keeps whatever codec the producer chose; "uncompressed" stores them without compression.',
  }),
  def({
    name: 'delete.retention.ms', type: 'long', defaultValue: String(DAY_MS), min: 0,
    documentation: 'For compacted topics: how long a delete marker (tombstone) stays readable after compaction, so that slow consumers still see the deletion.',
  }),
  def({
    name: 'file.delete.delay.ms', type: 'long', defaultValue: '60000', min: 0,
    documentation: 'Delay between scheduling a segment file for deletion and removing it from the file system.',
  }),
  def({
    name: 'flush.messages', type: 'long', defaultValue: LONG_MAX_STRING, min: 1,
    documentation: 'Force an fsync of the log once this many records have been appended since the last one. 1 syncs every append. The default leaves durability to replication and the operating system.',
  }),
  def({
    name: 'flush.ms', type: 'long', defaultValue: LONG_MAX_STRING, min: 0,
    documentation: 'Force an fsync of the log when appended data has waited this long without one.',
  }),
  def({
    name: 'index.interval.bytes', type: 'int', defaultValue: '4096', min: 0, max: INT_MAX,
    documentation: 'Bytes of log appended between two offset index entries. Smaller values make lookups scan less at the cost of a larger index.',
  }),
  def({
    name: 'max.compaction.lag.ms', type: 'long', defaultValue: LONG_MAX_STRING, min: 1,
    documentation: 'Longest time a record may stay uncompacted in a compacted topic.',
  }),
  def({
    name: 'max.message.bytes', type: 'int', defaultValue: '1048588', min: 0, max: INT_MAX,
    documentation: 'Largest record batch, in bytes, the broker accepts for this topic (after compression). Larger batches are rejected with MESSAGE_TOO_LARGE.',
  }),
  def({
    name: 'message.downconversion.enable', type: 'boolean', defaultValue: 'true',
    documentation: 'Whether the broker may convert batches to an older message format for consumers that request one.',
  }),
  def({
    name: 'message.timestamp.difference.max.ms', type: 'long', defaultValue: LONG_MAX_STRING, min: 0,
    documentation: 'With CreateTime, the largest accepted distance between the broker clock and a batch timestamp; batches further away are rejected with INVALID_TIMESTAMP.',
  }),
  def({
    name: 'message.timestamp.type', type: 'string', defaultValue: 'CreateTime', validValues: ['CreateTime', 'LogAppendTime'],
    documentation: 'Whether record timestamps are the producer create time, or the broker clock at append (LogAppendTime).',
  }),
  def({
    name: 'min.cleanable.dirty.ratio', type: 'double', defaultValue: '0.5', min: 0, max: 1,
    documentation: 'For compacted topics: the share of the log not yet compacted above which the cleaner compacts it.',
  }),
  def({
    name: 'min.compaction.lag.ms', type: 'long', defaultValue: '0', min: 0,
    documentation: 'Shortest time a record stays uncompacted in a compacted topic.',
  }),
  def({
    name: 'min.insync.replicas', type: 'int', defaultValue: '1', min: 1, max: INT_MAX,
    documentation: 'With acks=all, the smallest number of in-sync replicas that must hold a write for it to succeed; fewer yields NOT_ENOUGH_REPLICAS.',
  }),
  def({
    name: 'preallocate', type: 'boolean', defaultValue: 'false',
    documentation: 'Whether to preallocate a new segment file to its full size when it is created.',
  }),
  def({
    name: 'retention.bytes', type: 'long', defaultValue: '-1',
    documentation: 'Largest size a partition may grow to before its oldest segments are deleted (with the "delete" policy). -1 means no size limit.',
  }),
  def({
    name: 'retention.ms', type: 'long', defaultValue: String(7 * DAY_MS), min: -1,
    documentation: 'How long a segment is kept after its newest record before it is deleted (with the "delete" policy). -1 means no time limit.',
  }),
  def({
    // Kafka 3.x lower bound (the size of a legacy record overhead); Kafka 4 raised it to
    // 1 MiB and added an internal override for tests. Small segments keep our tests cheap.
    name: 'segment.bytes', type: 'int', defaultValue: String(1024 * 1024 * 1024), min: 14, max: INT_MAX,
    documentation: 'Size at which the active segment file is closed and a new one started. Retention and compaction work a whole segment at a time.',
  }),
  def({
    name: 'segment.index.bytes', type: 'int', defaultValue: String(10 * 1024 * 1024), min: 4, max: INT_MAX,
    documentation: 'Largest size of a segment\'s offset index; a full index rolls the segment.',
  }),
  def({
    name: 'segment.jitter.ms', type: 'long', defaultValue: '0', min: 0,
    documentation: 'Largest random amount subtracted from segment.ms, so that many partitions do not roll at the same moment.',
  }),
  def({
    name: 'segment.ms', type: 'long', defaultValue: String(7 * DAY_MS), min: 1,
    documentation: 'Time after which the active segment is rolled even if not full, so that retention can delete or compact it.',
  }),
  def({
    name: 'unclean.leader.election.enable', type: 'boolean', defaultValue: 'false',
    documentation: 'Whether a replica outside the in-sync set may become leader when no in-sync replica is alive, accepting the loss of records it lacks.',
  }),
];

export const TOPIC_CONFIG_BY_NAME: ReadonlyMap<string, ConfigDef> = new Map(TOPIC_CONFIG_DEFS.map((d) => [d.name, d]));
