import { Inject, Injectable } from '@nestjs/common';
import type { BrokerApi, ConfigChange, ConfigEntry } from '@weir/broker-core';
import type { AlterConfigBatchRequest, TopicConfigData, TopicConfigDataList } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { V3Urls } from '../common/urls.js';
import { toAllTopicConfigDataList, toTopicConfigData, toTopicConfigDataList } from '../mappers/config.mapper.js';

/**
 * Topic configs through the broker, which validates every change before applying any
 * (INVALID_CONFIG naming the config: 400 40002) and stores overrides in the registry.
 */
@Injectable()
export class TopicConfigsService {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  list(baseUrl: string, topic: string): TopicConfigDataList {
    return toTopicConfigDataList(this.urls(baseUrl), topic, this.broker.describeTopicConfigs(topic));
  }

  listAllTopics(baseUrl: string): TopicConfigDataList {
    const byTopic = new Map<string, readonly ConfigEntry[]>();
    for (const topic of this.broker.listTopics({ includeInternal: true })) {
      byTopic.set(topic.name, this.broker.describeTopicConfigs(topic.name));
    }
    return toAllTopicConfigDataList(this.urls(baseUrl), byTopic);
  }

  get(baseUrl: string, topic: string, name: string): TopicConfigData {
    const entry = this.broker.describeTopicConfigs(topic).find((e) => e.name === name);
    if (entry === undefined) throw RestError.notFound(`Config ${name} cannot be found for topic ${topic}.`);
    return toTopicConfigData(this.urls(baseUrl), topic, entry);
  }

  /** PUT: sets the value; a null value reverts to the default, as DELETE does. */
  async update(topic: string, name: string, value: string | null): Promise<void> {
    await this.broker.alterTopicConfigs(topic, [{ name, value }]);
  }

  async reset(topic: string, name: string): Promise<void> {
    await this.broker.alterTopicConfigs(topic, [{ name, value: null }]);
  }

  async alter(topic: string, request: AlterConfigBatchRequest): Promise<void> {
    const changes: ConfigChange[] = request.data.map((entry) => ({
      name: entry.name,
      value: (entry.operation ?? 'SET') === 'DELETE' ? null : (entry.value ?? null),
    }));
    await this.broker.alterTopicConfigs(topic, changes, { validateOnly: request.validate_only === true });
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.broker.clusterId);
  }
}
