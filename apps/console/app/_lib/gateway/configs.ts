import type { TopicConfigData, TopicConfigDataList, UpdateConfigRequest } from '@weir/contracts';
import { gatewayRequest } from './http';
import { topicPath } from './topics';

const configPath = (topic: string, name: string) => topicPath(topic, `/configs/${encodeURIComponent(name)}`);

export async function listTopicConfigs(topic: string): Promise<TopicConfigData[]> {
  const list = await gatewayRequest<TopicConfigDataList>(await topicPath(topic, '/configs'));
  return [...list.data].sort((a, b) => a.name.localeCompare(b.name));
}

export async function setTopicConfig(topic: string, name: string, value: string): Promise<void> {
  const body: UpdateConfigRequest = { value };
  await gatewayRequest(await configPath(topic, name), { method: 'PUT', body });
}

/** DELETE reverts the config to its default (Confluent semantics). */
export async function revertTopicConfig(topic: string, name: string): Promise<void> {
  await gatewayRequest(await configPath(topic, name), { method: 'DELETE' });
}
