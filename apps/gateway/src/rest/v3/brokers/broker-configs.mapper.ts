import type { ConfigEntry } from '@weir/broker-core';
import type { BrokerConfigDataList } from '@weir/contracts';
import type { V3Urls } from '../common/urls.js';
import { toTopicConfigData } from '../mappers/config.mapper.js';

export function toBrokerConfigDataList(urls: V3Urls, brokerId: number, entries: readonly ConfigEntry[]): BrokerConfigDataList {
  return {
    kind: 'KafkaBrokerConfigList',
    metadata: { self: urls.brokerConfigs(brokerId), next: null },
    data: entries.map((entry) => {
      // A broker's config reports what a topic's does (sensitive values hidden the same way).
      const { kind: _kind, metadata: _metadata, topic_name: _topic, ...fields } = toTopicConfigData(urls, '', entry);
      return {
        kind: 'KafkaBrokerConfig',
        metadata: { self: `${urls.brokerConfigs(brokerId)}/${entry.name}`, resource_name: `${urls.crnBroker(brokerId)}/config=${entry.name}` },
        broker_id: brokerId,
        ...fields,
      };
    }),
  };
}
