import { Inject, Injectable } from '@nestjs/common';
import {
  AclOperation, AclPatternType, AclPermissionType, AclResourceType, invalidBinding, OPERATION_NAMES, PATTERN_TYPE_NAMES, PERMISSION_TYPE_NAMES,
  RESOURCE_TYPE_NAMES, type AclBinding, type AclBindingFilter, type BrokerApi,
} from '@weir/broker-core';
import { REST_ERROR_CODES } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { V3Urls } from '../common/urls.js';
import type { AclCreateRequest, AclData, AclDataList, AclDeleteResponse, AclFilterQuery } from './acl-schemas.js';

/**
 * Confluent's /acls over the broker's ACLs (the registry's, the same ones Kafka's
 * CreateAcls/DescribeAcls/DeleteAcls see): the enum names become Kafka's codes and back.
 */
@Injectable()
export class AclsService {
  constructor(@Inject(BROKER) private readonly broker: BrokerApi) {}

  list(baseUrl: string, query: AclFilterQuery): AclDataList {
    const urls = new V3Urls(baseUrl, this.broker.clusterId);
    const data = this.broker.describeAcls(filterOf(query)).map((b) => aclData(urls, b));
    return { kind: 'KafkaAclDataList', metadata: { self: `${urls.cluster}/acls${queryString(query)}` }, data };
  }

  async create(request: AclCreateRequest): Promise<void> {
    const binding = {
      resourceType: AclResourceType[request.resource_type], resourceName: request.resource_name, patternType: AclPatternType[request.pattern_type],
      principal: request.principal, host: request.host, operation: AclOperation[request.operation], permissionType: AclPermissionType[request.permission],
    } as const;
    const invalid = invalidBinding(binding);
    if (invalid !== undefined) throw new RestError(REST_ERROR_CODES.KAFKA_BAD_REQUEST, invalid);
    await this.broker.createAcls([binding]);
  }

  async delete(baseUrl: string, query: AclFilterQuery): Promise<AclDeleteResponse> {
    const urls = new V3Urls(baseUrl, this.broker.clusterId);
    const [removed] = await this.broker.deleteAcls([filterOf(query)]);
    return { data: (removed ?? []).map((b) => aclData(urls, b)) };
  }
}

function filterOf(q: AclFilterQuery): AclBindingFilter {
  return {
    resourceType: AclResourceType[q.resource_type], resourceName: q.resource_name ?? null, patternType: AclPatternType[q.pattern_type],
    principal: q.principal ?? null, host: q.host ?? null, operation: AclOperation[q.operation], permissionType: AclPermissionType[q.permission],
  };
}

function aclData(urls: V3Urls, b: AclBinding): AclData {
  const fields = {
    resource_type: RESOURCE_TYPE_NAMES.upper.get(b.resourceType) as AclData['resource_type'],
    resource_name: b.resourceName,
    pattern_type: PATTERN_TYPE_NAMES.upper.get(b.patternType) as AclData['pattern_type'],
    principal: b.principal,
    host: b.host,
    operation: OPERATION_NAMES.upper.get(b.operation) as AclData['operation'],
    permission: PERMISSION_TYPE_NAMES.upper.get(b.permissionType) as AclData['permission'],
  };
  return { kind: 'KafkaAcl', metadata: { self: `${urls.cluster}/acls${queryString(fields)}` }, cluster_id: urls.clusterId, ...fields };
}

function queryString(fields: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) params.set(k, v);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
