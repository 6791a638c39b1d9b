import type { AlterConfigBatchRequest, TopicConfigData, TopicConfigDataList, UpdateConfigRequest } from '@weir/contracts';
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

/** Asks the broker to validate a value without applying it (configs:alter with validate_only); throws its refusal. */
export async function checkTopicConfig(topic: string, name: string, value: string): Promise<void> {
  const body: AlterConfigBatchRequest = { data: [{ name, value, operation: 'SET' }], validate_only: true };
  await gatewayRequest(await topicPath(topic, '/configs:alter'), { method: 'POST', body });
}

/** DELETE reverts the config to its default (Confluent semantics). */
export async function revertTopicConfig(topic: string, name: string): Promise<void> {
  await gatewayRequest(await configPath(topic, name), { method: 'DELETE' });
}
