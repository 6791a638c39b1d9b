import type { CreateTopicRequest, TopicData, TopicDataList } from '@weir/contracts';
import { cache } from 'react';
import { clusterPath } from './clusters';
import { gatewayRequest } from './http';

export const topicPath = (name: string, suffix = '') => clusterPath(`/topics/${encodeURIComponent(name)}${suffix}`);

export const listTopics = cache(async (): Promise<TopicData[]> => {
  return (await gatewayRequest<TopicDataList>(await clusterPath('/topics'))).data;
});

export const getTopic = cache(async (name: string): Promise<TopicData> => {
  return gatewayRequest<TopicData>(await topicPath(name));
});

export async function createTopic(request: CreateTopicRequest): Promise<TopicData> {
  return gatewayRequest<TopicData>(await clusterPath('/topics'), { method: 'POST', body: request });
}
