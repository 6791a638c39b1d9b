import type { CleanerCandidate, LogCleaner } from '../log/cleaner/log-cleaner.js';
import type { CleanerStats } from '../log/cleaner/cleaner-stats.js';
import { KafkaPaths } from '../registry/kafka-znodes.js';
import type { Registry } from '../registry/registry.js';
import type { Time } from '../time.js';
import type { BrokerEvents } from './broker-events.js';
import type { BrokerLogger } from './broker-options.js';
import { ignoreRegistryError } from './registry-calls.js';
import type { TopicTable } from './topic-table.js';

/**
 * One retention pass over every local log (Kafka's LogManager.cleanupLogs): whole
 * segments past retention.ms / retention.bytes or below the log start offset go, and
 * producers idle past producer.id.expiration.ms are forgotten. Returns
 * the segments deleted. A log whose start offset moved is announced, so consoles and
 * waiting fetches learn the new bounds.
 */
export function runRetentionPass(
  table: TopicTable, events: BrokerEvents, logger: BrokerLogger, onStartMoved: (topic: string, partition: number) => void, nowMs: number,
): number {
  let deleted = 0;
  for (const topic of table.all()) {
    for (const partition of topic.partitions) {
      // A log not opened since the start is left as it is until its first use (lazy opening).
      const log = partition.openedLog;
      if (log === undefined) continue;
      const before = log.logStartOffset;
      try {
        deleted += log.deleteOldSegments();
        log.removeExpiredProducers(nowMs);
      } catch (err) {
        logger.error(`retention of ${partition.key} failed`, err);
        continue;
      }
      if (log.logStartOffset !== before) {
        events.emit({ type: 'log-start-moved', topic: topic.name, partition: partition.partition, logStartOffset: log.logStartOffset });
        onStartMoved(topic.name, partition.partition);
      }
    }
  }
  return deleted;
}

/**
 * One compaction pass (Kafka's LogCleaner thread, one round): every local log whose
 * cleanup.policy includes compact is offered to `cleaner`, which cleans those that need
 * it, filthiest first, in slices that leave the event loop free between them; a failure
 * is logged under the partition's name and the pass goes on. Cleaning moves neither the
 * log start nor the log end offset, so nothing is announced. Returns the pass's stats
 * (bytes read and written, records removed, duration) for metrics.
 */
export function runCleanerPass(table: TopicTable, cleaner: LogCleaner): Promise<CleanerStats> {
  const candidates: CleanerCandidate[] = [];
  for (const topic of table.all()) {
    for (const partition of topic.partitions) {
      const log = partition.openedLog;
      if (log !== undefined && log.config.cleanupPolicy.includes('compact')) candidates.push({ name: partition.key, log });
    }
  }
  return cleaner.cleanLogs(candidates);
}

/**
 * Deletes config change notifications older than `expirationMs` (Kafka's
 * ZkNodeChangeNotificationListener purges them after 15 minutes): every broker has read
 * them by then, and the sequence counter lives on in the parent.
 */
export async function purgeConfigChanges(registry: Registry, time: Time, expirationMs: number): Promise<number> {
  if (registry.exists(KafkaPaths.configChanges) === null) return 0;
  const cutoff = time.milliseconds() - expirationMs;
  let purged = 0;
  for (const child of registry.getChildren(KafkaPaths.configChanges)) {
    const path = `${KafkaPaths.configChanges}/${child}`;
    const stat = registry.exists(path);
    if (stat === null || stat.ctime > cutoff) continue;
    await ignoreRegistryError(registry.delete(path), 'NONODE');
    purged++;
  }
  return purged;
}
