import { Inject, Injectable } from '@nestjs/common';
import type { BrokerApi } from '@weir/broker-core';
import type { CreateTopicRequest, TopicData, TopicDataList } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { V3Urls } from '../common/urls.js';
import { toTopicData, toTopicDataList } from '../mappers/topic.mapper.js';

@Injectable()
export class TopicsService {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  /** Internal topics included, as Confluent lists them (with is_internal set). */
  list(baseUrl: string): TopicDataList {
    return toTopicDataList(this.urls(baseUrl), this.broker.listTopics({ includeInternal: true }));
  }

  get(baseUrl: string, topic: string): TopicData {
    return toTopicData(this.urls(baseUrl), this.broker.describeTopic(topic));
  }

  /**
   * 201 with the new topic; with validate_only, 200 and the topic as it would be, nothing
   * created (Confluent's dry run). A config with a null value is left at its default.
   */
  async create(baseUrl: string, request: CreateTopicRequest): Promise<{ status: 200 | 201; topic: TopicData }> {
    const configs: Record<string, string> = {};
    for (const { name, value } of request.configs ?? []) {
      if (value !== undefined && value !== null) configs[name] = value;
    }
    const validateOnly = request.validate_only === true;
    const created = await this.broker.createTopic(
      {
        name: request.topic_name,
        ...(request.partitions_count === undefined ? {} : { partitions: request.partitions_count }),
        ...(request.replication_factor === undefined ? {} : { replicationFactor: request.replication_factor }),
        configs,
      },
      { validateOnly },
    );
    return { status: validateOnly ? 200 : 201, topic: toTopicData(this.urls(baseUrl), created) };
  }

  async delete(topic: string): Promise<void> {
    await this.broker.deleteTopic(topic);
  }

  /** Raises the partition count; the same count or fewer is Kafka's INVALID_PARTITIONS (400 40002). */
  async updatePartitionCount(baseUrl: string, topic: string, partitionsCount: number): Promise<TopicData> {
    return toTopicData(this.urls(baseUrl), await this.broker.createPartitions(topic, partitionsCount));
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.broker.clusterId);
  }
}
