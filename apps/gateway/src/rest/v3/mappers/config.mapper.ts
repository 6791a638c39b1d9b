import type { ConfigEntry } from '@weir/broker-core';
import type { TopicConfigData, TopicConfigDataList } from '@weir/contracts';
import type { V3Urls } from '../common/urls.js';

export function toTopicConfigData(urls: V3Urls, topic: string, entry: ConfigEntry): TopicConfigData {
  // Kafka never reveals a sensitive value; Confluent passes that null through.
  const value = entry.sensitive ? null : entry.value;
  return {
    kind: 'KafkaTopicConfig',
    metadata: { self: urls.topicConfig(topic, entry.name), resource_name: urls.crnTopicConfig(topic, entry.name) },
    cluster_id: urls.clusterId,
    topic_name: topic,
    name: entry.name,
    value,
    is_default: entry.isDefault,
    is_read_only: entry.readOnly,
    is_sensitive: entry.sensitive,
    source: entry.source,
    synonyms: [{ name: entry.name, value, source: entry.source }],
  };
}

export function toTopicConfigDataList(urls: V3Urls, topic: string, entries: readonly ConfigEntry[]): TopicConfigDataList {
  return {
    kind: 'KafkaTopicConfigList',
    metadata: { self: urls.topicConfigs(topic), next: null },
    data: entries.map((entry) => toTopicConfigData(urls, topic, entry)),
  };
}

/** GET /topics/-/configs: every topic's configs in one list, topics in name order. */
export function toAllTopicConfigDataList(urls: V3Urls, configsByTopic: ReadonlyMap<string, readonly ConfigEntry[]>): TopicConfigDataList {
  const topics = [...configsByTopic.keys()].sort();
  return {
    kind: 'KafkaTopicConfigList',
    metadata: { self: `${urls.topics()}/-/configs`, next: null },
    data: topics.flatMap((topic) => (configsByTopic.get(topic) ?? []).map((entry) => toTopicConfigData(urls, topic, entry))),
  };
}
