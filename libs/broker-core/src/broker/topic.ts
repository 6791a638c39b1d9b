import { parseTopicConfig, validateTopicConfig, type LogConfig } from '../log/config/log-config.js';
import type { BrokerLogger } from './broker-options.js';
import type { TopicDescription, TopicStats } from './broker-api.js';
import type { Partition } from './partition.js';
import { isInternalTopic } from './topic-name.js';

/**
 * A topic as this broker serves it: id, config overrides with the parsed config its logs
 * use, and its partitions indexed by id (ids are dense: 0..n-1, as Kafka assigns them).
 */
export class Topic {
  readonly partitions: Partition[] = [];
  private overridesValue: Readonly<Record<string, string>> = {};
  private configValue: LogConfig;

  constructor(
    readonly name: string,
    readonly topicId: string,
    overrides: Readonly<Record<string, string>>,
    logger: BrokerLogger,
  ) {
    this.configValue = this.setOverrides(overrides, logger);
  }

  get internal(): boolean { return isInternalTopic(this.name); }
  get overrides(): Readonly<Record<string, string>> { return this.overridesValue; }
  get config(): LogConfig { return this.configValue; }
  get replicationFactor(): number { return this.partitions[0]?.replicas.length ?? 0; }

  /**
   * Adopts the registry's overrides and pushes the resulting config to every local log.
   * Overrides this version cannot parse (written by a newer one, or by hand) are skipped
   * with an error in the log rather than stopping the broker from serving the topic.
   */
  setOverrides(overrides: Readonly<Record<string, string>>, logger: BrokerLogger): LogConfig {
    const usable: Record<string, string> = {};
    for (const [name, value] of Object.entries(overrides)) {
      try {
        validateTopicConfig({ [name]: value });
        usable[name] = value;
      } catch (err) {
        logger.error(`topic ${this.name}: ignoring stored config ${name}=${value}`, err);
      }
    }
    this.overridesValue = usable;
    this.configValue = parseTopicConfig(usable);
    for (const partition of this.partitions) partition.updateConfig(this.configValue);
    return this.configValue;
  }

  /** Counts and size read off the partitions in place (no per-partition description). */
  stats(isLive: (brokerId: number) => boolean): TopicStats {
    let underReplicated = 0;
    let offline = 0;
    let sizeBytes = 0;
    for (const p of this.partitions) {
      if (p.isr.length < p.replicas.length) underReplicated++;
      if (p.leader < 0 || !isLive(p.leader)) offline++;
      sizeBytes += p.log?.size ?? 0;
    }
    return { name: this.name, internal: this.internal, partitions: this.partitions.length, replicationFactor: this.replicationFactor, underReplicated, offline, sizeBytes };
  }

  /** With `isLive`, partitions whose leader or replicas are not registered are described as offline. */
  describe(isLive?: (brokerId: number) => boolean): TopicDescription {
    return {
      name: this.name,
      topicId: this.topicId,
      internal: this.internal,
      replicationFactor: this.replicationFactor,
      partitions: this.partitions.map((p) => p.describe(isLive)),
    };
  }
}

/** The same figures from a description (a cluster's merged view of partitions led elsewhere). */
export function statsOfDescription(topic: TopicDescription): TopicStats {
  let underReplicated = 0;
  let offline = 0;
  let sizeBytes = 0;
  for (const p of topic.partitions) {
    if (p.isr.length < p.replicas.length) underReplicated++;
    if (p.offline) offline++;
    sizeBytes += p.sizeBytes;
  }
  return { name: topic.name, internal: topic.internal, partitions: topic.partitions.length, replicationFactor: topic.replicationFactor, underReplicated, offline, sizeBytes };
}
