import type { BrokerApi, ConfigChange } from '../../broker/broker-api.js';
import { errorCodeOf } from '../../broker/error-codes.js';
import { KafkaError } from '../../errors.js';
import type { ConfigEntry } from '../../log/config/log-config.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeAlterConfigsRequest, encodeAlterConfigsResponse, makeAlterConfigsResponse, makeAlterConfigsResponseResourceResponse,
} from '../../protocol/alterConfigs/index.js';
import {
  decodeDescribeConfigsRequest, encodeDescribeConfigsResponse, makeDescribeConfigsResponse, makeDescribeConfigsResponseResourceResult,
  makeDescribeConfigsResponseResult, makeDescribeConfigsResponseSynonym, type DescribeConfigsRequest, type DescribeConfigsRequestResource,
  type DescribeConfigsResponseResult,
} from '../../protocol/describeConfigs/index.js';
import {
  decodeIncrementalAlterConfigsRequest, encodeIncrementalAlterConfigsResponse, makeIncrementalAlterConfigsResponse,
  makeIncrementalAlterConfigsResponseAlterConfigsResourceResponse, type IncrementalAlterConfigsRequestAlterableConfig,
} from '../../protocol/incrementalAlterConfigs/index.js';
import { CONFIG_OPERATION, configSourceCode, configTypeCode, RESOURCE_TYPE } from './config-codes.js';
import { AclOperation } from '../../security/acl.js';
import { clusterAuthorized, topicAuthorized } from '../../security/authorizer-door.js';
import type { ServerContext } from '../api-handler.js';
import { defineHandler } from './define-handler.js';

/**
 * DescribeConfigs for topics (every config with its effective value and source) and for
 * this broker (its settings under Kafka's names, read-only). A broker resource names the
 * broker id, or is empty for "the broker answering". A topic needs DESCRIBE_CONFIGS on it,
 * a broker DESCRIBE_CONFIGS on the cluster.
 */
export const describeConfigsHandler = defineHandler({
  apiKey: API_KEYS.DescribeConfigs,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 4,
  decode: decodeDescribeConfigsRequest,
  encode: encodeDescribeConfigsResponse,
  handle(ctx, request) {
    return makeDescribeConfigsResponse({ results: request.resources.map((r) => describeResource(ctx, r, request)) });
  },
});

/** Kafka's check for a config resource: topics by name, the broker and its loggers through the cluster. */
function requireConfigAccess(ctx: ServerContext, operation: AclOperation, resourceType: number, resourceName: string): void {
  if (resourceType === RESOURCE_TYPE.TOPIC) {
    if (!topicAuthorized(ctx, operation, resourceName)) throw new KafkaError('TOPIC_AUTHORIZATION_FAILED', `Not authorized to access topic ${resourceName}`);
  } else if (!clusterAuthorized(ctx, operation)) {
    throw new KafkaError('CLUSTER_AUTHORIZATION_FAILED', 'Cluster authorization failed.');
  }
}

function describeResource(ctx: ServerContext, resource: DescribeConfigsRequestResource, request: DescribeConfigsRequest): DescribeConfigsResponseResult {
  const { broker } = ctx;
  const { resourceType, resourceName } = resource;
  try {
    requireConfigAccess(ctx, AclOperation.DESCRIBE_CONFIGS, resourceType, resourceName);
    const entries = configEntries(broker, resourceType, resourceName);
    const keys = resource.configurationKeys === null ? null : new Set(resource.configurationKeys);
    const configs = entries
      .filter((c) => keys === null || keys.has(c.name))
      .map((c) => makeDescribeConfigsResponseResourceResult({
        name: c.name,
        value: c.sensitive ? null : c.value,
        readOnly: c.readOnly,
        isDefault: c.isDefault,
        configSource: configSourceCode(c.source),
        isSensitive: c.sensitive,
        synonyms: request.includeSynonyms ? [makeDescribeConfigsResponseSynonym({ name: c.name, value: c.sensitive ? null : c.value, source: configSourceCode(c.source) })] : [],
        configType: configTypeCode(c.type),
        documentation: request.includeDocumentation ? c.documentation : null,
      }));
    return makeDescribeConfigsResponseResult({ resourceType, resourceName, errorMessage: null, configs });
  } catch (err) {
    const { errorCode, errorMessage } = errorCodeOf(err);
    return makeDescribeConfigsResponseResult({ resourceType, resourceName, errorCode, errorMessage });
  }
}

function configEntries(broker: BrokerApi, resourceType: number, resourceName: string): ConfigEntry[] {
  switch (resourceType) {
    case RESOURCE_TYPE.TOPIC:
      return broker.describeTopicConfigs(resourceName);
    case RESOURCE_TYPE.BROKER:
      requireThisBroker(broker, resourceName);
      return broker.describeBrokerConfigs();
    case RESOURCE_TYPE.BROKER_LOGGER:
      requireThisBroker(broker, resourceName);
      return [];
    default:
      throw new KafkaError('INVALID_REQUEST', `Unsupported resource type ${resourceType}`);
  }
}

function requireThisBroker(broker: BrokerApi, resourceName: string): void {
  if (resourceName !== '' && resourceName !== String(broker.brokerId)) {
    throw new KafkaError('INVALID_REQUEST', `Unexpected broker id, expected ${broker.brokerId} or empty string, but received ${resourceName}`);
  }
}

/** Topic configs only: the broker's settings are fixed at start-up. */
function requireTopic(resourceType: number, resourceName: string): void {
  if (resourceType === RESOURCE_TYPE.BROKER || resourceType === RESOURCE_TYPE.BROKER_LOGGER) {
    throw new KafkaError('INVALID_REQUEST', `Broker ${resourceName || '(default)'} configs are read-only in Weir: they are set when the broker starts`);
  }
  if (resourceType !== RESOURCE_TYPE.TOPIC) throw new KafkaError('INVALID_REQUEST', `Unsupported resource type ${resourceType}`);
}

/**
 * AlterConfigs (the legacy, whole-set form): the given configs become the topic's
 * overrides, and every other override reverts to its default.
 */
export const alterConfigsHandler = defineHandler({
  apiKey: API_KEYS.AlterConfigs,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  decode: decodeAlterConfigsRequest,
  encode: encodeAlterConfigsResponse,
  async handle(ctx, request) {
    const { broker } = ctx;
    const responses = await Promise.all(request.resources.map(async ({ resourceType, resourceName, configs }) => {
      try {
        requireConfigAccess(ctx, AclOperation.ALTER_CONFIGS, resourceType, resourceName);
        requireTopic(resourceType, resourceName);
        const given = new Set(configs.map((c) => c.name));
        const reverted = broker.describeTopicConfigs(resourceName).filter((c) => !c.isDefault && !given.has(c.name)).map((c) => ({ name: c.name, value: null }));
        const changes: ConfigChange[] = [...reverted, ...configs.map((c) => ({ name: c.name, value: c.value }))];
        await broker.alterTopicConfigs(resourceName, changes, { validateOnly: request.validateOnly });
        return makeAlterConfigsResponseResourceResponse({ resourceType, resourceName, errorMessage: null });
      } catch (err) {
        return makeAlterConfigsResponseResourceResponse({ resourceType, resourceName, ...errorCodeOf(err) });
      }
    }));
    return makeAlterConfigsResponse({ responses });
  },
});

/** IncrementalAlterConfigs: SET, DELETE (revert to default), APPEND and SUBTRACT on list configs. */
export const incrementalAlterConfigsHandler = defineHandler({
  apiKey: API_KEYS.IncrementalAlterConfigs,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  decode: decodeIncrementalAlterConfigsRequest,
  encode: encodeIncrementalAlterConfigsResponse,
  async handle(ctx, request) {
    const { broker } = ctx;
    const responses = await Promise.all(request.resources.map(async ({ resourceType, resourceName, configs }) => {
      try {
        requireConfigAccess(ctx, AclOperation.ALTER_CONFIGS, resourceType, resourceName);
        requireTopic(resourceType, resourceName);
        const names = configs.map((c) => c.name);
        if (new Set(names).size !== names.length) throw new KafkaError('INVALID_REQUEST', `Error due to duplicate config keys: ${names.join(', ')}`);
        const current = new Map(broker.describeTopicConfigs(resourceName).map((c) => [c.name, c]));
        await broker.alterTopicConfigs(resourceName, configs.map((c) => incrementalChange(c, current)), { validateOnly: request.validateOnly });
        return makeIncrementalAlterConfigsResponseAlterConfigsResourceResponse({ resourceType, resourceName, errorMessage: null });
      } catch (err) {
        return makeIncrementalAlterConfigsResponseAlterConfigsResourceResponse({ resourceType, resourceName, ...errorCodeOf(err) });
      }
    }));
    return makeIncrementalAlterConfigsResponse({ responses });
  },
});

function incrementalChange(c: IncrementalAlterConfigsRequestAlterableConfig, current: ReadonlyMap<string, ConfigEntry>): ConfigChange {
  switch (c.configOperation) {
    case CONFIG_OPERATION.SET:
      if (c.value === null) throw new KafkaError('INVALID_REQUEST', `Null value not supported for: ${c.name}`);
      return { name: c.name, value: c.value };
    case CONFIG_OPERATION.DELETE:
      return { name: c.name, value: null };
    case CONFIG_OPERATION.APPEND:
    case CONFIG_OPERATION.SUBTRACT: {
      const entry = current.get(c.name);
      if (entry === undefined) throw new KafkaError('INVALID_CONFIG', `Unknown topic config name: ${c.name}`);
      if (entry.type !== 'list') throw new KafkaError('INVALID_CONFIG', `Config value append is not allowed for config key: ${c.name}`);
      const items = entry.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const given = (c.value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      const next = c.configOperation === CONFIG_OPERATION.APPEND ? [...items, ...given.filter((g) => !items.includes(g))] : items.filter((i) => !given.includes(i));
      return { name: c.name, value: next.join(',') };
    }
    default:
      throw new KafkaError('INVALID_REQUEST', `Unknown config operation ${c.configOperation} for ${c.name}`);
  }
}
