import type { CreateTopicRequest, TopicData, TopicSummaryList } from '@weir/contracts';
import { cache } from 'react';
import { clusterPath } from './clusters';
import { gatewayRequest } from './http';

export const topicPath = (name: string, suffix = '') => clusterPath(`/topics/${encodeURIComponent(name)}${suffix}`);

/** One page of topics, searched, sorted and paged by the gateway (Weir's topic-summaries). */
export async function listTopicSummaries(query: Record<string, string | number>): Promise<TopicSummaryList> {
  return gatewayRequest<TopicSummaryList>(await clusterPath('/topic-summaries'), { query });
}

export const getTopic = cache(async (name: string): Promise<TopicData> => {
  return gatewayRequest<TopicData>(await topicPath(name));
});

export async function createTopic(request: CreateTopicRequest): Promise<TopicData> {
  return gatewayRequest<TopicData>(await clusterPath('/topics'), { method: 'POST', body: request });
}
