import type { BrokerApi } from '../broker/broker-api.js';
import type { ConfigEntry } from '../log/config/log-config.js';
import { API_KEYS } from '../protocol/api-keys.js';
import {
  type AlterConfigsRequest, type AlterConfigsResponse, type AlterPartitionReassignmentsRequest, type AlterPartitionReassignmentsResponse,
  type CreateAclsRequest, type CreateAclsResponse, type CreatePartitionsRequest, type CreatePartitionsResponse, type CreateTopicsRequest,
  type CreateTopicsResponse, decodeAlterConfigsRequest, decodeAlterConfigsResponse, decodeAlterPartitionReassignmentsRequest,
  decodeAlterPartitionReassignmentsResponse, decodeCreateAclsRequest, decodeCreateAclsResponse, decodeCreatePartitionsRequest,
  decodeCreatePartitionsResponse, decodeCreateTopicsRequest, decodeCreateTopicsResponse, decodeDeleteAclsRequest, decodeDeleteAclsResponse,
  decodeDeleteGroupsRequest, decodeDeleteGroupsResponse, decodeDeleteRecordsRequest, decodeDeleteRecordsResponse, decodeDeleteTopicsRequest,
  decodeDeleteTopicsResponse, decodeElectLeadersRequest, decodeElectLeadersResponse, decodeIncrementalAlterConfigsRequest,
  decodeIncrementalAlterConfigsResponse, decodeOffsetDeleteRequest, decodeOffsetDeleteResponse, type DeleteAclsRequest, type DeleteAclsResponse,
  type DeleteGroupsRequest, type DeleteGroupsResponse, type DeleteRecordsRequest, type DeleteRecordsResponse, type DeleteTopicsRequest,
  type DeleteTopicsResponse, type ElectLeadersRequest, type ElectLeadersResponse, type IncrementalAlterConfigsRequest,
  type IncrementalAlterConfigsResponse, type OffsetDeleteRequest, type OffsetDeleteResponse,
} from '../protocol/codecs.js';
import type { Reader } from '../protocol/primitives/reader.js';
import { AclOperation, AclPatternType, AclPermissionType, AclResourceType } from '../security/acl.js';
import { RESOURCE_TYPE } from './handlers/config-codes.js';

/** One resource's part of an audited admin request. */
export interface AuditOutcome {
  readonly action: string;
  readonly resource: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** 0 for success, else the Kafka error code the response gave this resource. */
  readonly errorCode: number;
}

/** How one admin API is audited; `before` runs synchronously before the handler, `outcomes` after it answered. */
export interface AuditSpec<Req = unknown, Res = unknown, Before = unknown> {
  readonly decodeRequest: (reader: Reader, version: number) => Req;
  readonly decodeResponse: (reader: Reader, version: number) => Res;
  readonly validateOnly?: (request: Req) => boolean;
  readonly before?: (broker: BrokerApi, request: Req) => Before;
  readonly outcomes: (request: Req, response: Res, before: Before | undefined, broker: BrokerApi) => AuditOutcome[];
}

function spec<Req, Res, Before = undefined>(s: AuditSpec<Req, Res, Before>): AuditSpec {
  return s as unknown as AuditSpec;
}

/** The first non-zero code of several (a topic's partitions), or 0. */
function firstError(codes: readonly number[]): number {
  return codes.find((c) => c !== 0) ?? 0;
}

function tryOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

const topic = (name: string | null): string => `topic:${name ?? ''}`;

// ---- configs: the values of the named configs before and after (sensitive ones masked) ----

type ConfigValues = Record<string, string | null>;

function configsOf(broker: BrokerApi, resourceType: number, name: string): readonly ConfigEntry[] {
  if (resourceType === RESOURCE_TYPE.TOPIC) return broker.describeTopicConfigs(name);
  if (resourceType === RESOURCE_TYPE.BROKER) return broker.describeBrokerConfigs();
  return [];
}

function pick(entries: readonly ConfigEntry[], names: Iterable<string>): ConfigValues {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const values: ConfigValues = {};
  for (const name of names) {
    const e = byName.get(name);
    values[name] = e === undefined ? null : e.sensitive ? '[hidden]' : e.value;
  }
  return values;
}

interface ConfigResource { readonly resourceType: number; readonly resourceName: string; readonly configs: readonly { readonly name: string }[] }

/** AlterConfigs replaces the whole override set: the configs it names plus every override it may revert. */
function configNames(broker: BrokerApi, r: ConfigResource, wholeSet: boolean): string[] {
  const names = new Set(r.configs.map((c) => c.name));
  if (wholeSet) for (const e of tryOr(() => configsOf(broker, r.resourceType, r.resourceName), [])) if (!e.isDefault && e.source === 'DYNAMIC_TOPIC_CONFIG') names.add(e.name);
  return [...names].sort();
}

function configSpec<Req extends { resources: ConfigResource[]; validateOnly: boolean }, Res extends { responses: { errorCode: number; resourceType: number; resourceName: string }[] }>(
  decodeRequest: (r: Reader, v: number) => Req, decodeResponse: (r: Reader, v: number) => Res, wholeSet: boolean,
): AuditSpec {
  return spec<Req, Res, ConfigValues[]>({
    decodeRequest,
    decodeResponse,
    validateOnly: (req) => req.validateOnly,
    before: (broker, req) => req.resources.map((r) => tryOr(() => pick(configsOf(broker, r.resourceType, r.resourceName), configNames(broker, r, wholeSet)), {})),
    outcomes: (req, res, before, broker) =>
      req.resources.map((r, i) => {
        const errorCode = res.responses.find((x) => x.resourceType === r.resourceType && x.resourceName === r.resourceName)?.errorCode ?? 0;
        const isBroker = r.resourceType === RESOURCE_TYPE.BROKER || r.resourceType === RESOURCE_TYPE.BROKER_LOGGER;
        const names = Object.keys(before?.[i] ?? {});
        return {
          action: isBroker ? 'broker.configs.alter' : 'topic.configs.alter',
          resource: isBroker ? `broker:${r.resourceName || broker.brokerId}` : topic(r.resourceName),
          before: before?.[i] ?? {},
          after: errorCode === 0 ? tryOr(() => pick(configsOf(broker, r.resourceType, r.resourceName), names), {}) : undefined,
          errorCode,
        };
      }),
  });
}

// ---- ACLs: bindings in Confluent's spellings, as the REST door shows them ----

function nameOf(codes: Readonly<Record<string, number>>, code: number): string {
  return Object.keys(codes).find((k) => codes[k] === code) ?? String(code);
}

interface AclLike { resourceType: number; resourceName: string | null; patternType: number; principal: string | null; host: string | null; operation: number; permissionType: number }

function binding(a: AclLike): Record<string, string | null> {
  return {
    resource_type: nameOf(AclResourceType, a.resourceType), resource_name: a.resourceName, pattern_type: nameOf(AclPatternType, a.patternType),
    principal: a.principal, host: a.host, operation: nameOf(AclOperation, a.operation), permission: nameOf(AclPermissionType, a.permissionType),
  };
}

function aclResource(resourceType: number, name: string | null): string {
  if (resourceType === AclResourceType.CLUSTER) return 'cluster';
  return `${nameOf(AclResourceType, resourceType).toLowerCase().replace(/_/g, '-')}:${name ?? '*'}`;
}

// ---- the audited APIs ----

export const ADMIN_AUDIT_SPECS: ReadonlyMap<number, AuditSpec> = new Map<number, AuditSpec>([
  [API_KEYS.CreateTopics, spec<CreateTopicsRequest, CreateTopicsResponse>({
    decodeRequest: decodeCreateTopicsRequest,
    decodeResponse: decodeCreateTopicsResponse,
    validateOnly: (req) => req.validateOnly,
    outcomes: (req, res, _before, broker) => res.topics.map((t) => {
      const asked = req.topics.find((x) => x.name === t.name);
      const configs = Object.fromEntries((asked?.configs ?? []).map((c) => [c.name, c.value]));
      // The topic as created (versions before 5 do not answer its partitions and replication factor; -1 asks for the defaults).
      const created = t.errorCode === 0 ? tryOr(() => broker.describeTopic(t.name), undefined) : undefined;
      const after = { partitions: created?.partitions.length ?? asked?.numPartitions, replication_factor: created?.replicationFactor ?? asked?.replicationFactor, configs };
      return { action: 'topic.create', resource: topic(t.name), after, errorCode: t.errorCode };
    }),
  })],
  [API_KEYS.DeleteTopics, spec<DeleteTopicsRequest, DeleteTopicsResponse, Map<string, unknown>>({
    decodeRequest: decodeDeleteTopicsRequest,
    decodeResponse: decodeDeleteTopicsResponse,
    before: (broker, req) => {
      const names = [...req.topicNames, ...req.topics.map((t) => t.name ?? broker.topicNameById(t.topicId) ?? '')];
      return new Map(names.map((n) => [n, tryOr(() => {
        const d = broker.describeTopic(n);
        return { partitions: d.partitions.length, replication_factor: d.replicationFactor };
      }, undefined)]));
    },
    outcomes: (_req, res, before) => res.responses.map((t) => ({ action: 'topic.delete', resource: topic(t.name), before: before?.get(t.name ?? ''), errorCode: t.errorCode })),
  })],
  [API_KEYS.CreatePartitions, spec<CreatePartitionsRequest, CreatePartitionsResponse, Map<string, number>>({
    decodeRequest: decodeCreatePartitionsRequest,
    decodeResponse: decodeCreatePartitionsResponse,
    validateOnly: (req) => req.validateOnly,
    before: (broker, req) => new Map(req.topics.map((t) => [t.name, tryOr(() => broker.describeTopic(t.name).partitions.length, -1)])),
    outcomes: (req, res, before) => res.results.map((r) => ({
      action: 'topic.partitions.create', resource: topic(r.name),
      before: { partitions: before?.get(r.name) ?? -1 }, after: { partitions: req.topics.find((t) => t.name === r.name)?.count ?? -1 }, errorCode: r.errorCode,
    })),
  })],
  [API_KEYS.DeleteRecords, spec<DeleteRecordsRequest, DeleteRecordsResponse, Map<string, Record<string, string>>>({
    decodeRequest: decodeDeleteRecordsRequest,
    decodeResponse: decodeDeleteRecordsResponse,
    before: (broker, req) => new Map(req.topics.map((t) => [t.name, tryOr(() => {
      const partitions = broker.describeTopic(t.name).partitions;
      return Object.fromEntries(t.partitions.map((p) => [String(p.partitionIndex), String(partitions[p.partitionIndex]?.logStartOffset ?? '')]));
    }, {})])),
    outcomes: (_req, res, before) => res.topics.map((t) => ({
      action: 'records.delete', resource: topic(t.name),
      before: { low_watermarks: before?.get(t.name) ?? {} },
      after: { low_watermarks: Object.fromEntries(t.partitions.filter((p) => p.errorCode === 0).map((p) => [String(p.partitionIndex), String(p.lowWatermark)])) },
      errorCode: firstError(t.partitions.map((p) => p.errorCode)),
    })),
  })],
  [API_KEYS.AlterConfigs, configSpec<AlterConfigsRequest, AlterConfigsResponse>(decodeAlterConfigsRequest, decodeAlterConfigsResponse, true)],
  [API_KEYS.IncrementalAlterConfigs, configSpec<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>(
    decodeIncrementalAlterConfigsRequest, decodeIncrementalAlterConfigsResponse, false,
  )],
  [API_KEYS.DeleteGroups, spec<DeleteGroupsRequest, DeleteGroupsResponse>({
    decodeRequest: decodeDeleteGroupsRequest,
    decodeResponse: decodeDeleteGroupsResponse,
    outcomes: (_req, res) => res.results.map((g) => ({ action: 'group.delete', resource: `group:${g.groupId}`, errorCode: g.errorCode })),
  })],
  [API_KEYS.OffsetDelete, spec<OffsetDeleteRequest, OffsetDeleteResponse>({
    decodeRequest: decodeOffsetDeleteRequest,
    decodeResponse: decodeOffsetDeleteResponse,
    outcomes: (req, res) => [{
      action: 'group.offsets.delete', resource: `group:${req.groupId}`,
      after: { deleted: res.topics.flatMap((t) => t.partitions.filter((p) => p.errorCode === 0).map((p) => ({ topic: t.name, partition: p.partitionIndex }))) },
      errorCode: res.errorCode || firstError(res.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))),
    }],
  })],
  [API_KEYS.ElectLeaders, spec<ElectLeadersRequest, ElectLeadersResponse>({
    decodeRequest: decodeElectLeadersRequest,
    decodeResponse: decodeElectLeadersResponse,
    outcomes: (req, res, _before, broker) => res.replicaElectionResults.map((t) => ({
      action: 'leader.elect', resource: topic(t.topic),
      after: {
        election_type: req.electionType === 1 ? 'UNCLEAN' : 'PREFERRED',
        leaders: tryOr(() => {
          const partitions = broker.describeTopic(t.topic).partitions;
          return Object.fromEntries(t.partitionResult.filter((p) => p.errorCode === 0).map((p) => [String(p.partitionId), partitions[p.partitionId]?.leader ?? -1]));
        }, {}),
      },
      errorCode: res.errorCode || firstError(t.partitionResult.map((p) => p.errorCode)),
    })),
  })],
  [API_KEYS.AlterPartitionReassignments, spec<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse, Map<string, Record<string, readonly number[]>>>({
    decodeRequest: decodeAlterPartitionReassignmentsRequest,
    decodeResponse: decodeAlterPartitionReassignmentsResponse,
    before: (broker, req) => new Map(req.topics.map((t) => [t.name, tryOr(() => {
      const partitions = broker.describeTopic(t.name).partitions;
      return Object.fromEntries(t.partitions.map((p) => [String(p.partitionIndex), partitions[p.partitionIndex]?.replicas ?? []]));
    }, {})])),
    outcomes: (req, res, before) => res.responses.map((t) => ({
      action: 'partition.reassign', resource: topic(t.name),
      before: { replicas: before?.get(t.name) ?? {} },
      // null replicas cancel a reassignment in progress.
      after: { replicas: Object.fromEntries((req.topics.find((x) => x.name === t.name)?.partitions ?? []).map((p) => [String(p.partitionIndex), p.replicas])) },
      errorCode: res.errorCode || firstError(t.partitions.map((p) => p.errorCode)),
    })),
  })],
  [API_KEYS.CreateAcls, spec<CreateAclsRequest, CreateAclsResponse>({
    decodeRequest: decodeCreateAclsRequest,
    decodeResponse: decodeCreateAclsResponse,
    outcomes: (req, res) => req.creations.map((c, i) => ({
      action: 'acl.create', resource: aclResource(c.resourceType, c.resourceName),
      after: binding({ ...c, patternType: c.resourcePatternType }), errorCode: res.results[i]?.errorCode ?? 0,
    })),
  })],
  [API_KEYS.DeleteAcls, spec<DeleteAclsRequest, DeleteAclsResponse>({
    decodeRequest: decodeDeleteAclsRequest,
    decodeResponse: decodeDeleteAclsResponse,
    outcomes: (req, res) => req.filters.map((f, i) => {
      const result = res.filterResults[i];
      return {
        action: 'acl.delete', resource: aclResource(f.resourceTypeFilter, f.resourceNameFilter),
        before: (result?.matchingAcls ?? []).filter((a) => a.errorCode === 0).map(binding), errorCode: result?.errorCode ?? 0,
      };
    }),
  })],
]);
